target_sources(omnicron_unit_tests PRIVATE
  unit/runner/run_options_test.cc
  unit/runner/history_test.cc
  unit/runner/log_file_test.cc
  unit/runner/conditions_test.cc
  unit/runner/status_test.cc
  unit/runner/windows_environment_test.cc
  unit/runner/run_test.cc
)
