# The runner (`omnicron.exe exec`) on Windows: processes in a job object,
# log files, locks and history, and following a log for `logs --follow`.
# The portable part is src/runner.
# iphlpapi: the routing table for --require-network; user32: the last input
# time for --require-idle.
target_sources(omnicron_windows_io PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/runner_process.cc
  ${CMAKE_CURRENT_LIST_DIR}/runner_files.cc
  ${CMAKE_CURRENT_LIST_DIR}/runner_job.cc
  ${CMAKE_CURRENT_LIST_DIR}/log_follower.cc
)
target_link_libraries(omnicron_windows_io PUBLIC iphlpapi user32)
