target_sources(omnicron_unit_tests PRIVATE
  unit/cron/cron_expression_test.cc
  unit/cron/fire_times_test.cc
  unit/cron/describe_test.cc
  unit/cron/schedule_test.cc
)
