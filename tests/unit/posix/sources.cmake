target_sources(omnicron_unit_tests PRIVATE
  unit/posix/shell_quote_test.cc
  unit/posix/crontab_block_test.cc
  unit/posix/crontab_plan_test.cc
  unit/posix/crontab_export_test.cc
  unit/posix/compile_memo_test.cc
)
