# The runner's pure part: its options, the history record, log rotation
# decisions, conditions read from text, the status computed from a history,
# where a job's files live, and the order of one run (run.h, behind the
# RunSystem each OS implements). The OS side is platform/posix/runner_* and
# platform/windows/runner_*.
target_sources(omnicron_core PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/run_options.cc
  ${CMAKE_CURRENT_LIST_DIR}/history.cc
  ${CMAKE_CURRENT_LIST_DIR}/log_file.cc
  ${CMAKE_CURRENT_LIST_DIR}/conditions.cc
  ${CMAKE_CURRENT_LIST_DIR}/status.cc
  ${CMAKE_CURRENT_LIST_DIR}/job_dir.cc
  ${CMAKE_CURRENT_LIST_DIR}/run.cc
)
target_link_libraries(omnicron_core PUBLIC nlohmann_json::nlohmann_json)
