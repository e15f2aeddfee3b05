# The Windows (mingw-w64) build's dependencies, under the same target names the
# native build uses, so src/ and platform/ link them the same way.
#
# yaml-cpp, Expat and GoogleTest are cross-built static libraries in
# OMNICRON_WINDOWS_DEPS (cmake/windows-deps.sh puts them there). The
# header-only libraries are Debian's own headers, seen through a folder of
# symlinks: /usr/include itself must never be on the mingw include path, or
# glibc's headers leak into a Windows build.
set(OMNICRON_WINDOWS_DEPS "${CMAKE_SOURCE_DIR}/build/windows-deps/prefix"
    CACHE PATH "Prefix holding the cross-built yaml-cpp, Expat and GoogleTest")
foreach(lib yaml-cpp expat gtest gtest_main)
  if(NOT EXISTS "${OMNICRON_WINDOWS_DEPS}/lib/lib${lib}.a")
    message(FATAL_ERROR "${OMNICRON_WINDOWS_DEPS}/lib/lib${lib}.a is missing: "
                        "run `bash cmake/windows-deps.sh` (as root) first")
  endif()
endforeach()

set(host_headers "${CMAKE_BINARY_DIR}/host-headers")
file(MAKE_DIRECTORY "${host_headers}")
foreach(dir fmt boost CLI nlohmann date)
  if(NOT EXISTS "/usr/include/${dir}")
    message(FATAL_ERROR "/usr/include/${dir} is missing: run `bash cmake/setup-debian.sh`")
  endif()
  file(CREATE_LINK "/usr/include/${dir}" "${host_headers}/${dir}" SYMBOLIC)
endforeach()

add_library(omnicron_host_headers INTERFACE)
target_include_directories(omnicron_host_headers SYSTEM INTERFACE "${host_headers}")

include(${CMAKE_CURRENT_LIST_DIR}/StaticFmt.cmake)
target_link_libraries(omnicron_fmt PUBLIC omnicron_host_headers)
# As Debian's date::date target defines them for the native build.
add_library(omnicron_date INTERFACE)
target_link_libraries(omnicron_date INTERFACE omnicron_host_headers)
target_compile_definitions(omnicron_date INTERFACE ONLY_C_LOCALE=1 HAS_STRING_VIEW=1)
add_library(date::date ALIAS omnicron_date)
add_library(nlohmann_json::nlohmann_json ALIAS omnicron_host_headers)
add_library(CLI11::CLI11 ALIAS omnicron_host_headers)

add_library(omnicron_windows_deps INTERFACE)
target_include_directories(omnicron_windows_deps SYSTEM INTERFACE "${OMNICRON_WINDOWS_DEPS}/include")

add_library(omnicron_yaml INTERFACE)
target_link_libraries(omnicron_yaml INTERFACE
  "${OMNICRON_WINDOWS_DEPS}/lib/libyaml-cpp.a" omnicron_windows_deps)

add_library(omnicron_expat INTERFACE)
target_link_libraries(omnicron_expat INTERFACE
  "${OMNICRON_WINDOWS_DEPS}/lib/libexpat.a" omnicron_windows_deps)
# Without it expat.h declares its functions __declspec(dllimport).
target_compile_definitions(omnicron_expat INTERFACE XML_STATIC)

add_library(omnicron_gtest INTERFACE)
target_link_libraries(omnicron_gtest INTERFACE
  "${OMNICRON_WINDOWS_DEPS}/lib/libgtest_main.a" "${OMNICRON_WINDOWS_DEPS}/lib/libgtest.a"
  omnicron_windows_deps)
