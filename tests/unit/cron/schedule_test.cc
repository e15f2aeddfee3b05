#include "schedule.h"

#include <gtest/gtest.h>

#include "error.h"

namespace omnicron {
namespace {

using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;

std::vector<std::string> texts(const ScheduleItem& item) {
  std::vector<std::string> out;
  for (const auto& e : to_cron(item)) out.push_back(e.text());
  return out;
}

ScheduleItem every(std::chrono::seconds interval) {
  ScheduleItem item;
  item.kind = ScheduleItem::Kind::every;
  item.every = interval;
  return item;
}

ScheduleItem at(std::vector<TimeOfDay> times, std::vector<int> days = {}) {
  ScheduleItem item;
  item.kind = ScheduleItem::Kind::at;
  item.at = std::move(times);
  item.days = std::move(days);
  return item;
}

std::string error_of(const ScheduleItem& item) {
  try {
    to_cron(item);
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::validation);
    return e.message();
  }
  ADD_FAILURE() << "no error";
  return "";
}

using Strings = std::vector<std::string>;
constexpr const char* kAllowed =
    "use one of 1m, 2m, 3m, 4m, 5m, 6m, 10m, 12m, 15m, 20m, 30m or a whole number of hours "
    "dividing 24 (1h, 2h, 3h, 4h, 6h, 8h, 12h, 24h)";

TEST(ScheduleTest, EveryMinutesDividingTheHour) {
  EXPECT_EQ(texts(every(minutes{1})), Strings{"* * * * *"});
  EXPECT_EQ(texts(every(minutes{5})), Strings{"*/5 * * * *"});
  EXPECT_EQ(texts(every(minutes{30})), Strings{"*/30 * * * *"});
  EXPECT_EQ(texts(every(minutes{60})), Strings{"0 * * * *"});
  EXPECT_EQ(texts(every(seconds{120})), Strings{"*/2 * * * *"});
}

TEST(ScheduleTest, EveryHoursDividingTheDay) {
  EXPECT_EQ(texts(every(hours{1})), Strings{"0 * * * *"});
  EXPECT_EQ(texts(every(hours{6})), Strings{"0 */6 * * *"});
  EXPECT_EQ(texts(every(hours{12})), Strings{"0 */12 * * *"});
  EXPECT_EQ(texts(every(hours{24})), Strings{"0 0 * * *"});
  EXPECT_EQ(texts(every(minutes{120})), Strings{"0 */2 * * *"});
}

TEST(ScheduleTest, RejectsEveryThatDoesNotDivide) {
  EXPECT_EQ(error_of(every(minutes{7})),
            std::string("every 7m does not divide the hour evenly; ") + kAllowed);
  EXPECT_EQ(error_of(every(seconds{90})),
            std::string("every 90s is not a whole number of minutes, cron's smallest unit; ") +
                kAllowed);
  EXPECT_EQ(error_of(every(minutes{90})),
            std::string("every 90m does not divide the day evenly; ") + kAllowed);
  EXPECT_EQ(error_of(every(hours{5})),
            std::string("every 5h does not divide the day evenly; ") + kAllowed);
  EXPECT_EQ(error_of(every(hours{48})),
            std::string("every 2d is longer than a day, which cron cannot repeat evenly "
                        "(months and years have uneven lengths); use 'at' with 'days', or ") +
                kAllowed);
  EXPECT_EQ(error_of(every(seconds{0})),
            std::string("every 0s is not a positive interval; ") + kAllowed);
}

TEST(ScheduleTest, AtWithDays) {
  EXPECT_EQ(texts(at({{6, 0}}, {1})), Strings{"0 6 * * 1"});
  EXPECT_EQ(texts(at({{6, 0}})), Strings{"0 6 * * *"});
  EXPECT_EQ(texts(at({{18, 0}, {6, 0}})), Strings{"0 6,18 * * *"});
  EXPECT_EQ(texts(at({{6, 0}, {6, 30}}, {5, 1, 3})), (Strings{"0 6 * * 1,3,5", "30 6 * * 1,3,5"}));
  EXPECT_EQ(texts(at({{9, 15}}, {0, 1, 2, 3, 4, 5, 6})), Strings{"15 9 * * *"});
}

TEST(ScheduleTest, AtFiresAtExactlyTheGivenTimes) {
  const auto exprs = to_cron(at({{6, 0}, {18, 0}, {7, 45}}, {6}));
  ASSERT_EQ(exprs.size(), 2U);
  EXPECT_EQ(exprs[0].minutes(), std::uint64_t{1});
  EXPECT_EQ(exprs[0].hours(), (1U << 6) | (1U << 18));
  EXPECT_EQ(exprs[0].days_of_week(), 1U << 6);
  EXPECT_EQ(exprs[1].minutes(), std::uint64_t{1} << 45);
  EXPECT_EQ(exprs[1].hours(), 1U << 7);
}

TEST(ScheduleTest, RejectsBadTimes) {
  EXPECT_EQ(error_of(at({{24, 0}})), "at: '24:00' is not a time of day; allowed: 00:00-23:59");
  EXPECT_EQ(error_of(at({})), "at: no time of day given; write at: \"06:00\"");
}

TEST(ScheduleTest, BootAndLogon) {
  ScheduleItem boot;
  boot.kind = ScheduleItem::Kind::boot;
  const auto exprs = to_cron(boot);
  ASSERT_EQ(exprs.size(), 1U);
  EXPECT_TRUE(exprs[0].is_reboot());
  ScheduleItem logon;
  logon.kind = ScheduleItem::Kind::logon;
  EXPECT_EQ(error_of(logon),
            "on: logon has no cron equivalent; it runs at user logon on Windows only (limit "
            "the job with platforms: [windows], or use on: boot)");
}

TEST(ScheduleTest, CronText) {
  ScheduleItem item;
  item.kind = ScheduleItem::Kind::cron;
  item.cron = "0 2 * * sun";
  EXPECT_EQ(texts(item), Strings{"0 2 * * sun"});
  item.cron = "61 * * * *";
  EXPECT_EQ(error_of(item), "minute: '61' is out of range; allowed: 0-59");
}

}  // namespace
}  // namespace omnicron
