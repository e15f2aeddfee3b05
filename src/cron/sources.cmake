target_sources(omnicron_core PRIVATE
  cron/cron_expression.cc
  cron/fire_times.cc
  cron/describe.cc
  schedule.cc
)
