# The crontab I/O layer (target omnicron_posix_io): the real `crontab`
# command run through Boost.Process v2, /etc/cron.d-style files, the state
# directory with its backups, and the write lock.
# It calls Linux's memfd_create(2) and renameat2(2), so it is only built there.
if(NOT CMAKE_SYSTEM_NAME STREQUAL "Linux")
  return()
endif()

find_package(Threads REQUIRED)
# Only the header-only part of Boost is used, so only Boost::headers is needed.
find_package(Boost 1.81 REQUIRED CONFIG)

add_library(omnicron_posix_io STATIC
  ${CMAKE_CURRENT_LIST_DIR}/os_error.cc
  ${CMAKE_CURRENT_LIST_DIR}/crontab_io.cc
  ${CMAKE_CURRENT_LIST_DIR}/cron_file.cc
  ${CMAKE_CURRENT_LIST_DIR}/state_dir.cc
  ${CMAKE_CURRENT_LIST_DIR}/heap_hint.cc
  ${CMAKE_CURRENT_LIST_DIR}/crontab_target.cc
  ${CMAKE_CURRENT_LIST_DIR}/runner_process.cc
  ${CMAKE_CURRENT_LIST_DIR}/runner_files.cc
  ${CMAKE_CURRENT_LIST_DIR}/runner_job.cc
  ${CMAKE_CURRENT_LIST_DIR}/log_follower.cc
)
target_link_libraries(omnicron_posix_io
  PUBLIC omnicron_posix_format Boost::headers Threads::Threads)
# Boost.Process v2 is used header-only (its default, so no TU includes
# <boost/process/v2/src.hpp>). Debian 12 ships the 1.81 headers but only the
# 1.74 Boost.Filesystem library, which Boost.Process v2 would otherwise call,
# so it is told to use std::filesystem. PUBLIC: every TU that includes
# Boost.Process must agree, or its inline functions differ between TUs.
target_compile_definitions(omnicron_posix_io PUBLIC BOOST_PROCESS_USE_STD_FS)
# Boost's headers live in /usr/include, a system directory, so GCC already
# keeps their warnings out of our -Werror build.
omnicron_warnings(omnicron_posix_io)
# GCC 12 at -O2 inlines Boost.Asio's scheduler into this file and then warns
# "potential null pointer dereference" inside Boost's own code, which the
# system-header exemption no longer covers once inlined. Only the one file
# that includes Boost.Process is exempted.
set_source_files_properties(${CMAKE_CURRENT_LIST_DIR}/crontab_io.cc
  PROPERTIES COMPILE_OPTIONS "-Wno-null-dereference")
# The runner's process layer includes Boost.Process too.
set_source_files_properties(${CMAKE_CURRENT_LIST_DIR}/runner_process.cc
  PROPERTIES COMPILE_OPTIONS "-Wno-null-dereference")
