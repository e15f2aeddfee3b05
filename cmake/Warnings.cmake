# Warnings every omnicron target is built with. CI turns them into errors
# (OMNICRON_WERROR) so a warning never lands.
function(omnicron_warnings target)
  target_compile_options(${target} PRIVATE
    -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wold-style-cast
    -Wcast-align -Woverloaded-virtual -Wconversion -Wsign-conversion
    -Wimplicit-fallthrough -Wnull-dereference)
  # GCC 12 reports false -Wrestrict errors for `"literal" + std::string` when
  # optimising (GCC bug 105651, fixed in GCC 13); the warning says nothing
  # true about our code there.
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
    target_compile_options(${target} PRIVATE -Wno-restrict)
  endif()
  # With sanitizers GCC 12 also "finds" uninitialized members inside
  # libstdc++'s std::function (as std::regex uses it); a known false positive
  # of -Wmaybe-uninitialized under -fsanitize. The sanitizers themselves and
  # the plain builds still check for the real thing.
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_FLAGS MATCHES "-fsanitize")
    target_compile_options(${target} PRIVATE -Wno-maybe-uninitialized)
  endif()
  if(OMNICRON_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()
