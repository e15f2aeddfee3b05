# Warnings every omnicron target is built with. CI turns them into errors
# (OMNICRON_WERROR) so a warning never lands.
function(omnicron_warnings target)
  target_compile_options(${target} PRIVATE
    -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wold-style-cast
    -Wcast-align -Woverloaded-virtual -Wconversion -Wsign-conversion
    -Wimplicit-fallthrough -Wnull-dereference)
  if(OMNICRON_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()
