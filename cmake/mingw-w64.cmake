# Cross-compiles omnicron for 64-bit Windows with Debian's mingw-w64 and runs
# what it builds (tests, try_run) under Wine:
#   cmake --preset windows   (or -DCMAKE_TOOLCHAIN_FILE=cmake/mingw-w64.cmake)
# The -posix compilers: the default win32 thread model has no std::mutex.
set(CMAKE_SYSTEM_NAME Windows)
set(CMAKE_SYSTEM_PROCESSOR x86_64)
set(CMAKE_C_COMPILER x86_64-w64-mingw32-gcc-posix)
set(CMAKE_CXX_COMPILER x86_64-w64-mingw32-g++-posix)
set(CMAKE_RC_COMPILER x86_64-w64-mingw32-windres)

# Look for libraries and headers only in the mingw sysroot and in the prefix
# the cross-built dependencies are installed to (cmake/windows-deps.sh), never
# in the build machine's /usr: glibc's headers would leak in.
set(CMAKE_FIND_ROOT_PATH /usr/x86_64-w64-mingw32)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)

# Everything is linked in, so an .exe needs no DLL beside it (Wine and a bare
# Windows machine have none of libstdc++, libgcc or winpthread).
set(CMAKE_EXE_LINKER_FLAGS_INIT "-static -static-libgcc -static-libstdc++")

# Wine 8 (Debian 12's wine64) runs the tests; `wine` picks wine64 when no
# 32-bit Wine is installed.
find_program(OMNICRON_WINE NAMES wine wine64 REQUIRED)
set(CMAKE_CROSSCOMPILING_EMULATOR ${OMNICRON_WINE})
