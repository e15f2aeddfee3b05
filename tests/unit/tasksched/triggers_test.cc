#include "tasksched/triggers.h"

#include <gtest/gtest.h>

namespace omnicron::tasksched {
namespace {

using std::chrono::seconds;

TEST(TriggersTest, IsoDurationsUseTheLargestUnitsTaskSchedulerWrites) {
  EXPECT_EQ(to_iso_duration(seconds{0}), "PT0S");
  EXPECT_EQ(to_iso_duration(seconds{60}), "PT1M");
  EXPECT_EQ(to_iso_duration(seconds{15 * 60}), "PT15M");
  EXPECT_EQ(to_iso_duration(seconds{59 * 60 + 30}), "PT59M30S");
  EXPECT_EQ(to_iso_duration(seconds{8 * 3600 + 45 * 60 + 30}), "PT8H45M30S");
  EXPECT_EQ(to_iso_duration(seconds{86400}), "P1D");
  EXPECT_EQ(to_iso_duration(seconds{86400 + 2 * 3600 + 47 * 60}), "P1DT2H47M");
}

TEST(TriggersTest, StartBoundaryHasNoOffset) {
  EXPECT_EQ(to_string(LocalDateTime{2000, 1, 1, 9, 5, 0}), "2000-01-01T09:05:00");
}

TEST(TriggersTest, DescribesEachShape) {
  EXPECT_EQ(
      describe(CalendarTrigger{LocalDateTime{2000, 1, 1, 9, 0, 0}, ScheduleByWeek{1, 0b0111110},
                               Repetition{seconds{900}, seconds{31530}}}),
      "weekly on Mon,Tue,Wed,Thu,Fri from 2000-01-01T09:00:00, every PT15M for "
      "PT8H45M30S");
  EXPECT_EQ(describe(CalendarTrigger{LocalDateTime{}, ScheduleByMonth{1U << 1, true, 1U << 2},
                                     std::nullopt}),
            "monthly on days 1,Last of Feb from 2000-01-01T00:00:00");
  EXPECT_EQ(
      describe(CalendarTrigger{
          LocalDateTime{}, ScheduleByMonthDayOfWeek{1U << 2, true, 1U << 5, 0x1FFE}, std::nullopt}),
      "monthly on Fri of weeks 2,Last of every month from 2000-01-01T00:00:00");
  EXPECT_EQ(describe(CalendarTrigger{LocalDateTime{}, ScheduleByDay{3}, std::nullopt}),
            "every 3 days from 2000-01-01T00:00:00");
  EXPECT_EQ(describe(TimeTrigger{LocalDateTime{}, Repetition{seconds{300}, std::nullopt}}),
            "once at 2000-01-01T00:00:00, every PT5M forever");
  EXPECT_EQ(describe(BootTrigger{}), "at boot");
  EXPECT_EQ(describe(LogonTrigger{}), "at logon");
}

}  // namespace
}  // namespace omnicron::tasksched
