#include "cron/describe.h"

#include <gtest/gtest.h>

namespace omnicron::cron {
namespace {

struct Case {
  const char* expression;
  const char* description;
};

TEST(DescribeTest, Table) {
  const Case cases[] = {
      {"*/15 9-17 * * 1-5", "every 15 minutes from 09:00 through 17:45, Monday through Friday"},
      {"0 2 * * 0", "at 02:00 on Sunday"},
      {"*/5 * * * *", "every 5 minutes"},
      {"* * * * *", "every minute"},
      {"0 8 * * *", "at 08:00 every day"},
      {"0 */12 * * *", "at 00:00 and 12:00 every day"},
      {"0 0 29 2 *", "at 00:00 on day 29 of February"},
      {"@reboot", "at system start-up"},
      {"0 0 1 * 1", "at 00:00 on day 1 of the month or on Monday"},
      {"0 */2 * * *", "at minute 0 past every 2nd hour"},
      {"30 * * * *", "at minute 30 past every hour"},
      {"0 9-17 * * *", "at minute 0 past every hour from 09:00 through 17:00"},
      {"* 9 * * *", "every minute from 09:00 through 09:59"},
      {"5-59/15 * * * *", "every 15 minutes starting at minute 5"},
      {"0,10,20,30 * * * *", "at minutes 0, 10, 20 and 30 past every hour"},
      {"0 6,18 * * *", "at 06:00 and 18:00 every day"},
      {"0 6 * * 1,3,5", "at 06:00 on Monday, Wednesday and Friday"},
      {"0 6 * * 6,0", "at 06:00 on Sunday and Saturday"},
      {"0 0 1 * *", "at 00:00 on day 1 of the month"},
      {"@monthly", "at 00:00 on day 1 of the month"},
      {"@yearly", "at 00:00 on day 1 of January"},
      {"@weekly", "at 00:00 on Sunday"},
      {"@hourly", "at minute 0 past every hour"},
      {"0 0 1,15 * *", "at 00:00 on days 1 and 15 of the month"},
      {"0 0 */2 * *", "at 00:00 on every 2nd day of the month"},
      {"0 0 */2 * 1", "at 00:00 on every 2nd day of the month if it is a Monday"},
      {"0 0 1-31 * 1", "at 00:00 every day"},
      {"0 12 * 6-8 *", "at 12:00 every day in June through August"},
      {"*/10 * * 12 *", "every 10 minutes in December"},
      {"0 0 1 1,7 *", "at 00:00 on day 1 of January and July"},
      {"15 3 13 * 5", "at 03:15 on day 13 of the month or on Friday"},
      {"0,30 9-11,14-16 * * *",
       "every 30 minutes from 09:00 through 11:30 and from 14:00 through 16:30"},
      {"5,10,45 9-17 * * *",
       "at minutes 5, 10 and 45 past every hour from 09:05 through 17:45"},
      {"0 0,2,5,7,9,11,13 * * *",
       "at minute 0 past every hour during hours 0, 2, 5, 7, 9, 11 and 13"},
      {"*/30 9 * * 1-5", "at 09:00 and 09:30, Monday through Friday"},
      {"*/20 0-5 * * *", "every 20 minutes from 00:00 through 05:40"},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(describe(CronExpression::parse(c.expression)), c.description) << c.expression;
  }
}

}  // namespace
}  // namespace omnicron::cron
