#include "cron/cron_expression.h"

#include <string>

#include <gtest/gtest.h>

#include "error.h"

namespace omnicron::cron {
namespace {

CronExpression parsed(std::string_view text) {
  auto result = CronExpression::try_parse(text);
  if (auto* e = std::get_if<SyntaxError>(&result)) {
    ADD_FAILURE() << "'" << text << "' was refused: " << e->message;
    return {};
  }
  return std::get<CronExpression>(result);
}

SyntaxError refused(std::string_view text) {
  auto result = CronExpression::try_parse(text);
  if (auto* e = std::get_if<SyntaxError>(&result)) return *e;
  ADD_FAILURE() << "'" << text << "' was accepted";
  return {};
}

std::string message(std::string_view text) { return refused(text).message; }

std::uint64_t bits(std::initializer_list<int> values) {
  std::uint64_t out = 0;
  for (int v : values) out |= std::uint64_t{1} << v;
  return out;
}

constexpr const char* kSyntax =
    "allowed: values combined as *, a-b, */n, a-b/n and comma-separated lists";

// ---- Valid forms -----------------------------------------------------------

TEST(CronExpressionTest, ParsesAllStars) {
  const auto e = parsed("* * * * *");
  EXPECT_EQ(e.minutes(), (std::uint64_t{1} << 60) - 1);
  EXPECT_EQ(e.hours(), (1U << 24) - 1);
  EXPECT_EQ(e.days_of_month(), 0xFFFFFFFEU);
  EXPECT_EQ(e.months(), 0x1FFE);
  EXPECT_EQ(e.days_of_week(), 0x7F);
  EXPECT_TRUE(e.minute_star() && e.hour_star() && e.day_of_month_star() &&
              e.day_of_week_star());
  EXPECT_TRUE(e.is_wildcard_time());
  EXPECT_FALSE(e.is_reboot());
  EXPECT_EQ(e.text(), "* * * * *");
}

TEST(CronExpressionTest, ParsesSingleValues) {
  const auto e = parsed("30 2 15 6 3");
  EXPECT_EQ(e.minutes(), bits({30}));
  EXPECT_EQ(e.hours(), bits({2}));
  EXPECT_EQ(e.days_of_month(), bits({15}));
  EXPECT_EQ(e.months(), bits({6}));
  EXPECT_EQ(e.days_of_week(), bits({3}));
  EXPECT_FALSE(e.minute_star() || e.hour_star() || e.day_of_month_star() ||
               e.day_of_week_star());
  EXPECT_FALSE(e.is_wildcard_time());
}

TEST(CronExpressionTest, ParsesRangesStepsAndLists) {
  const auto e = parsed("0-30/10 9-17 1,15,28-30 */3 1-5");
  EXPECT_EQ(e.minutes(), bits({0, 10, 20, 30}));
  EXPECT_EQ(e.hours(), bits({9, 10, 11, 12, 13, 14, 15, 16, 17}));
  EXPECT_EQ(e.days_of_month(), bits({1, 15, 28, 29, 30}));
  EXPECT_EQ(e.months(), bits({1, 4, 7, 10}));
  EXPECT_EQ(e.days_of_week(), bits({1, 2, 3, 4, 5}));
}

TEST(CronExpressionTest, ParsesStarSteps) {
  EXPECT_EQ(parsed("*/15 * * * *").minutes(), bits({0, 15, 30, 45}));
  EXPECT_EQ(parsed("0 */6 * * *").hours(), bits({0, 6, 12, 18}));
  EXPECT_EQ(parsed("0 0 */10 * *").days_of_month(), bits({1, 11, 21, 31}));
  // '*' in day-of-week is 0-6, so */3 is Sunday, Wednesday, Saturday.
  EXPECT_EQ(parsed("0 0 * * */3").days_of_week(), bits({0, 3, 6}));
  EXPECT_EQ(parsed("5-59/20 * * * *").minutes(), bits({5, 25, 45}));
  EXPECT_EQ(parsed("*/59 * * * *").minutes(), bits({0, 59}));
}

TEST(CronExpressionTest, ParsesNamesInAnyCase) {
  const auto e = parsed("0 0 * JAN,Feb,mar mon-FRI");
  EXPECT_EQ(e.months(), bits({1, 2, 3}));
  EXPECT_EQ(e.days_of_week(), bits({1, 2, 3, 4, 5}));
  EXPECT_EQ(parsed("0 0 * jun-aug sun").months(), bits({6, 7, 8}));
  EXPECT_EQ(parsed("0 0 * * Sat,sun").days_of_week(), bits({0, 6}));
  // A stepped range with names: every other month from January.
  EXPECT_EQ(parsed("0 0 1 jan-dec/2 *").months(), bits({1, 3, 5, 7, 9, 11}));
}

TEST(CronExpressionTest, SevenIsSunday) {
  EXPECT_EQ(parsed("0 0 * * 7").days_of_week(), bits({0}));
  EXPECT_EQ(parsed("0 0 * * 0-7").days_of_week(), 0x7F);
  EXPECT_EQ(parsed("0 0 * * 5-7").days_of_week(), bits({0, 5, 6}));
  EXPECT_EQ(parsed("0 0 * * 0,7").days_of_week(), bits({0}));
  EXPECT_EQ(parsed("0 0 * * 7").canonical(), "0 0 * * 0");
}

TEST(CronExpressionTest, AcceptsLeadingZerosTabsAndOuterBlanks) {
  EXPECT_EQ(parsed("05 007 * * *").hours(), bits({7}));
  const auto e = parsed("  0\t2 *  *\t* ");
  EXPECT_EQ(e.hours(), bits({2}));
  EXPECT_EQ(e.text(), "  0\t2 *  *\t* ");
}

TEST(CronExpressionTest, StarFlagsFollowTheTextNotTheValues) {
  const auto a = parsed("*/2 0 */2 * *,3");
  EXPECT_TRUE(a.minute_star());
  EXPECT_FALSE(a.hour_star());
  EXPECT_TRUE(a.day_of_month_star());
  EXPECT_TRUE(a.day_of_week_star());
  const auto b = parsed("0-59 0-23 1-31 1-12 0-6");
  EXPECT_FALSE(b.minute_star() || b.hour_star() || b.day_of_month_star() ||
               b.day_of_week_star());
  EXPECT_FALSE(b.is_wildcard_time());
  EXPECT_TRUE(parsed("0 * * * *").is_wildcard_time());
  EXPECT_TRUE(parsed("* 2 * * *").is_wildcard_time());
  EXPECT_FALSE(parsed("0 1-3 * * *").is_wildcard_time());
  EXPECT_FALSE(parsed("0 0-23/2 * * *").is_wildcard_time());
}

TEST(CronExpressionTest, DayRuleIsOrWhenNeitherDayFieldIsStarred) {
  const auto e = parsed("0 0 1 * 1");
  EXPECT_TRUE(e.matches_day(7, 1, 3));    // The 1st, a Wednesday.
  EXPECT_TRUE(e.matches_day(7, 6, 1));    // A Monday.
  EXPECT_FALSE(e.matches_day(7, 7, 2));   // Neither.
  const auto every_day = parsed("0 0 1-31 * 1");
  EXPECT_TRUE(every_day.matches_day(7, 7, 2));
}

TEST(CronExpressionTest, DayRuleIsAndWhenADayFieldIsStarred) {
  const auto e = parsed("0 0 */2 * 1");
  EXPECT_TRUE(e.matches_day(7, 13, 1));   // Odd and a Monday.
  EXPECT_FALSE(e.matches_day(7, 6, 1));   // A Monday, but even.
  EXPECT_FALSE(e.matches_day(7, 1, 3));   // Odd, but a Wednesday.
  const auto f = parsed("0 0 1 * *,3");
  EXPECT_TRUE(f.matches_day(7, 1, 3));
  EXPECT_TRUE(f.matches_day(6, 1, 1));
  EXPECT_FALSE(f.matches_day(7, 8, 3));
  EXPECT_FALSE(parsed("0 0 * 7 *").matches_day(8, 1, 6));
}

TEST(CronExpressionTest, ExpandsMacros) {
  EXPECT_EQ(parsed("@yearly").canonical(), "0 0 1 1 *");
  EXPECT_EQ(parsed("@annually").canonical(), "0 0 1 1 *");
  EXPECT_EQ(parsed("@monthly").canonical(), "0 0 1 * *");
  EXPECT_EQ(parsed("@weekly").canonical(), "0 0 * * 0");
  EXPECT_EQ(parsed("@daily").canonical(), "0 0 * * *");
  EXPECT_EQ(parsed("@midnight").canonical(), "0 0 * * *");
  EXPECT_EQ(parsed("@hourly").canonical(), "0 * * * *");
  EXPECT_TRUE(parsed("@hourly").is_wildcard_time());
  EXPECT_FALSE(parsed("@daily").is_wildcard_time());
  EXPECT_EQ(parsed("@daily").text(), "@daily");
  EXPECT_EQ(parsed(" @weekly ").days_of_week(), bits({0}));
}

TEST(CronExpressionTest, RebootHasNoTimes) {
  const auto e = parsed("@reboot");
  EXPECT_TRUE(e.is_reboot());
  EXPECT_EQ(e.canonical(), "@reboot");
}

TEST(CronExpressionTest, Canonical) {
  EXPECT_EQ(parsed("* * * * *").canonical(), "* * * * *");
  EXPECT_EQ(parsed("*/15 9-17 * * mon-fri").canonical(), "*/15 9-17 * * 1-5");
  EXPECT_EQ(parsed("30,0,15 2 * JAN-DEC sun").canonical(), "0,15,30 2 * * 0");
  EXPECT_EQ(parsed("0 0-23/2 * * *").canonical(), "0 0-22/2 * * *");
  EXPECT_EQ(parsed("0 0 1-31 * 1").canonical(), "0 0 1-31 * 1");
  EXPECT_EQ(parsed("0-59 0-23 * * *").canonical(), "0-59 0-23 * * *");
  EXPECT_EQ(parsed("*/2,5 * * * *").canonical(), "*/2,5 * * * *");
  EXPECT_EQ(parsed("*,3 * * * *").canonical(), "* * * * *");
  EXPECT_EQ(parsed("0 0 * feb,jan,mar,jun *").canonical(), "0 0 * 1-3,6 *");
  EXPECT_EQ(parsed("1,2 0 * * 6,0,5").canonical(), "1,2 0 * * 0,5,6");
  EXPECT_EQ(parsed("0 0 */2 * *").canonical(), "0 0 */2 * *");
  // The canonical text means the same as the original.
  for (const char* text : {"*/15 9-17 * * mon-fri", "0 0 */2 * 1", "5-59/20 1-3 1,15 */2 7",
                           "0 0 1-31 * 1", "*/2,5 */5 * * *"}) {
    auto a = parsed(text);
    auto b = parsed(a.canonical());
    EXPECT_EQ(a.minutes(), b.minutes()) << text;
    EXPECT_EQ(a.hours(), b.hours()) << text;
    EXPECT_EQ(a.days_of_month(), b.days_of_month()) << text;
    EXPECT_EQ(a.months(), b.months()) << text;
    EXPECT_EQ(a.days_of_week(), b.days_of_week()) << text;
    EXPECT_EQ(a.minute_star(), b.minute_star()) << text;
    EXPECT_EQ(a.hour_star(), b.hour_star()) << text;
    EXPECT_EQ(a.day_of_month_star(), b.day_of_month_star()) << text;
    EXPECT_EQ(a.day_of_week_star(), b.day_of_week_star()) << text;
  }
}

TEST(CronExpressionTest, ParseThrowsValidationError) {
  try {
    CronExpression::parse("60 * * * *");
    FAIL() << "no throw";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::validation);
    EXPECT_EQ(e.message(), "minute: '60' is out of range; allowed: 0-59");
  }
  EXPECT_EQ(CronExpression::parse("0 2 * * 0").hours(), bits({2}));
}

// ---- Refusals --------------------------------------------------------------

TEST(CronExpressionTest, RejectsMinute60) {
  const auto e = refused("60 * * * *");
  EXPECT_EQ(e.message, "minute: '60' is out of range; allowed: 0-59");
  EXPECT_TRUE(e.has_field);
  EXPECT_EQ(e.field, Field::minute);
  EXPECT_EQ(e.offset, 0U);
  EXPECT_EQ(e.length, 2U);
}

TEST(CronExpressionTest, RejectsOutOfRangeInEveryField) {
  EXPECT_EQ(message("0 24 * * *"), "hour: '24' is out of range; allowed: 0-23");
  EXPECT_EQ(message("0 0 0 * *"), "day-of-month: '0' is out of range; allowed: 1-31");
  EXPECT_EQ(message("0 0 32 * *"), "day-of-month: '32' is out of range; allowed: 1-31");
  EXPECT_EQ(message("0 0 * 13 *"), "month: '13' is out of range; allowed: 1-12 or jan-dec");
  EXPECT_EQ(message("0 0 * 0 *"), "month: '0' is out of range; allowed: 1-12 or jan-dec");
  EXPECT_EQ(message("0 0 * * 8"),
            "day-of-week: '8' is out of range; allowed: 0-7 or sun-sat (0 and 7 are Sunday)");
  const auto e = refused("0 1-24 * * *");
  EXPECT_EQ(e.message, "hour: '24' is out of range; allowed: 0-23");
  EXPECT_EQ(e.field, Field::hour);
  EXPECT_EQ(e.offset, 4U);
  EXPECT_EQ(e.length, 2U);
  const auto f = refused("1,5,99 * * * *");
  EXPECT_EQ(f.message, "minute: '99' is out of range; allowed: 0-59");
  EXPECT_EQ(f.offset, 4U);
}

TEST(CronExpressionTest, RejectsReversedRanges) {
  const auto e = refused("0 5-1 * * *");
  EXPECT_EQ(e.message,
            "hour: '5-1' is a reversed range; ranges do not wrap around, write '5-23,0-1'");
  EXPECT_EQ(e.offset, 2U);
  EXPECT_EQ(e.length, 3U);
  EXPECT_EQ(message("0 22-2 * * *"),
            "hour: '22-2' is a reversed range; ranges do not wrap around, write '22-23,0-2'");
  EXPECT_EQ(message("0 0 * * fri-mon"),
            "day-of-week: 'fri-mon' is a reversed range; ranges do not wrap around, write "
            "'5-6,0-1'");
  EXPECT_EQ(message("0 0 * * 7-1"),
            "day-of-week: '7-1' is a reversed range; ranges do not wrap around, write '0-1'");
  EXPECT_EQ(message("0 0 * dec-jan *"),
            "month: 'dec-jan' is a reversed range; ranges do not wrap around, write '12,1'");
}

TEST(CronExpressionTest, RejectsStepZero) {
  const auto e = refused("*/0 * * * *");
  EXPECT_EQ(e.message, "minute: step 0 in '*/0' is not allowed; a step must be at least 1");
  EXPECT_EQ(e.offset, 2U);
  EXPECT_EQ(e.length, 1U);
}

TEST(CronExpressionTest, RejectsStepLargerThanTheRange) {
  EXPECT_EQ(message("*/60 * * * *"),
            "minute: step 60 in '*/60' is larger than the range 0-59; allowed steps: 1-59");
  EXPECT_EQ(message("0 */24 * * *"),
            "hour: step 24 in '*/24' is larger than the range 0-23; allowed steps: 1-23");
  EXPECT_EQ(message("0-10/11 * * * *"),
            "minute: step 11 in '0-10/11' is larger than the range 0-10; allowed steps: 1-10");
  EXPECT_EQ(message("0 0 * * */7"),
            "day-of-week: step 7 in '*/7' is larger than the range 0-6; allowed steps: 1-6");
  EXPECT_EQ(message("5-5/2 * * * *"),
            "minute: step 2 in '5-5/2' is larger than the range 5-5; a single value takes "
            "no step");
}

TEST(CronExpressionTest, RejectsStepAfterSingleValue) {
  // Vixie cron reads "5/10" as 5; other crons as "every 10 from 5".
  const auto e = refused("5/10 * * * *");
  EXPECT_EQ(e.message,
            "minute: '5/10' has a step after a single value; write '5-59/10' for every 10 "
            "from 5, or '*/10'");
  EXPECT_EQ(e.offset, 0U);
  EXPECT_EQ(e.length, 4U);
  EXPECT_EQ(message("0 3/2 * * *"),
            "hour: '3/2' has a step after a single value; write '3-23/2' for every 2 from 3, "
            "or '*/2'");
}

TEST(CronExpressionTest, RejectsTrailingJunk) {
  const auto e = refused("5.5 * * * *");
  EXPECT_EQ(e.message, std::string("minute: unexpected '.5' in '5.5'; ") + kSyntax);
  EXPECT_EQ(e.offset, 1U);
  EXPECT_EQ(e.length, 2U);
  EXPECT_EQ(message("0 0 * * 5#3"), std::string("day-of-week: unexpected '#3' in '5#3'; ") + kSyntax);
  const auto x = refused("*x * * * *");
  EXPECT_EQ(x.message, std::string("minute: unexpected 'x' in '*x'; ") + kSyntax);
  EXPECT_EQ(x.offset, 1U);
  EXPECT_EQ(message("0 0 L * *"), "day-of-month: 'L' is not a number; allowed: 1-31");
  EXPECT_EQ(message("0 0 ? * *"), std::string("day-of-month: unexpected '?' in '?'; ") + kSyntax);
  EXPECT_EQ(message("-1 * * * *"), std::string("minute: unexpected '-1' in '-1'; ") + kSyntax);
  EXPECT_EQ(message("0 0 * * */mon"),
            std::string("day-of-week: unexpected 'mon' in '*/mon'; ") + kSyntax);
  EXPECT_EQ(message("0 1- * * *"), "hour: range '1-' has no end; write a range as a-b, e.g. 1-5");
  EXPECT_EQ(message("*/ * * * *"), "minute: '*/' has no step after '/'; write a step as */n or a-b/n");
}

TEST(CronExpressionTest, RejectsEmptyListItems) {
  const auto e = refused("1,,2 * * * *");
  EXPECT_EQ(e.message, "minute: empty item in list '1,,2'; remove the extra ','");
  EXPECT_EQ(e.offset, 2U);
  EXPECT_EQ(e.length, 1U);
  const auto t = refused("0 1, * * *");
  EXPECT_EQ(t.message, "hour: empty item in list '1,'; remove the trailing ','");
  EXPECT_EQ(t.offset, 3U);
  EXPECT_EQ(message(",5 * * * *"), "minute: empty item in list ',5'; remove the extra ','");
}

TEST(CronExpressionTest, RejectsWrongFieldCount) {
  const auto four = refused("0 0 * *");
  EXPECT_EQ(four.message,
            "expected 5 fields (minute hour day-of-month month day-of-week) or an @macro, "
            "but found 4");
  EXPECT_FALSE(four.has_field);
  EXPECT_EQ(four.offset, 0U);
  EXPECT_EQ(four.length, 7U);
  const auto six = refused("0 0 * * * *");
  EXPECT_EQ(six.message,
            "expected 5 fields (minute hour day-of-month month day-of-week) or an @macro, "
            "but found 6; in a crontab the sixth would silently become part of the command");
  EXPECT_EQ(six.offset, 10U);
  EXPECT_EQ(six.length, 1U);
  EXPECT_EQ(message(""),
            "expected 5 fields (minute hour day-of-month month day-of-week) or an @macro, "
            "but found 0");
}

TEST(CronExpressionTest, RejectsNonAscii) {
  // U+0665 ARABIC-INDIC DIGIT FIVE.
  const auto digit = refused("\xd9\xa5 * * * *");
  EXPECT_EQ(digit.message,
            "minute: '\xd9\xa5' contains the non-ASCII digit U+0665; allowed: ASCII only (0-59)");
  EXPECT_EQ(digit.offset, 0U);
  EXPECT_EQ(digit.length, 2U);
  // A no-break space pasted between fields.
  const auto space = refused("0 2\xc2\xa0* * *");
  EXPECT_EQ(space.message,
            "hour: '2\xc2\xa0*' contains the non-ASCII space U+00A0; allowed: ASCII only (0-23)");
  EXPECT_EQ(space.offset, 3U);
  EXPECT_EQ(space.length, 2U);
  EXPECT_EQ(message("0 0 * * \xef\xbc\x91"),
            "day-of-week: '\xef\xbc\x91' contains the non-ASCII digit U+FF11; allowed: ASCII "
            "only (0-7 or sun-sat (0 and 7 are Sunday))");
  EXPECT_EQ(message("0 0 * \xe9t\xe9 *"),
            "month: '\xe9t\xe9' contains the byte 0xE9, which is not valid UTF-8; allowed: "
            "ASCII only (1-12 or jan-dec)");
}

TEST(CronExpressionTest, RejectsTooManyDigits) {
  const auto e = refused("4294967296 * * * *");
  EXPECT_EQ(e.message, "minute: '4294967296' has too many digits; allowed: 0-59");
  EXPECT_EQ(e.length, 10U);
  EXPECT_EQ(message("0 0 0001 * *"), "day-of-month: '0001' has too many digits; allowed: 1-31");
  EXPECT_EQ(message("0 0 100 * *"), "day-of-month: '100' is out of range; allowed: 1-31");
  EXPECT_EQ(message("*/0005 * * * *"), "minute: step '0005' in '*/0005' has too many digits");
}

TEST(CronExpressionTest, RejectsUnknownNames) {
  const auto e = refused("0 0 * jum *");
  EXPECT_EQ(e.message,
            "month: unknown name 'jum'; allowed: jan, feb, mar, apr, may, jun, jul, aug, sep, "
            "oct, nov, dec or 1-12");
  EXPECT_EQ(e.offset, 6U);
  EXPECT_EQ(e.length, 3U);
  EXPECT_EQ(message("0 0 * * monday"),
            "day-of-week: unknown name 'monday'; allowed: sun, mon, tue, wed, thu, fri, sat or "
            "0-7; did you mean 'mon'?");
  EXPECT_EQ(message("0 0 * january *"),
            "month: unknown name 'january'; allowed: jan, feb, mar, apr, may, jun, jul, aug, "
            "sep, oct, nov, dec or 1-12; did you mean 'jan'?");
  EXPECT_EQ(message("0 noon * * *"), "hour: 'noon' is not a number; allowed: 0-23");
  EXPECT_EQ(message("0 0 * mon *"),
            "month: unknown name 'mon'; allowed: jan, feb, mar, apr, may, jun, jul, aug, sep, "
            "oct, nov, dec or 1-12");
}

TEST(CronExpressionTest, RejectsUnknownMacros) {
  constexpr const char* kList =
      "allowed: @reboot, @yearly, @annually, @monthly, @weekly, @daily, @midnight, @hourly";
  const auto e = refused("@Daily");
  EXPECT_EQ(e.message, std::string("unknown macro '@Daily'; did you mean '@daily'? ") + kList);
  EXPECT_FALSE(e.has_field);
  EXPECT_EQ(e.length, 6U);
  EXPECT_EQ(message("@HOURLY"), std::string("unknown macro '@HOURLY'; did you mean '@hourly'? ") + kList);
  EXPECT_EQ(message("@dayly"), std::string("unknown macro '@dayly'; did you mean '@daily'? ") + kList);
  EXPECT_EQ(message("@every"), std::string("unknown macro '@every'; ") + kList);
  const auto extra = refused("@daily 0 0");
  EXPECT_EQ(extra.message, "'@daily' is a whole schedule and takes no fields; remove '0 0'");
  EXPECT_EQ(extra.offset, 7U);
  EXPECT_EQ(extra.length, 3U);
}

TEST(CronExpressionTest, RejectsExpressionsThatNeverFire) {
  const auto e = refused("0 0 30 2 *");
  EXPECT_EQ(e.message, "day-of-month: 30 never occurs in February, so this never fires");
  EXPECT_EQ(e.field, Field::day_of_month);
  EXPECT_EQ(e.offset, 4U);
  EXPECT_EQ(e.length, 2U);
  EXPECT_EQ(message("0 0 31 4,6,9,11 *"),
            "day-of-month: 31 never occurs in April, June, September or November, so this "
            "never fires");
  EXPECT_EQ(message("0 0 30,31 feb */2"),
            "day-of-month: 30 and 31 never occur in February, so this never fires");
  // February 29 exists in leap years, and with the OR rule Mondays fire.
  parsed("0 0 29 2 *");
  parsed("0 0 30 2 1");
  parsed("0 0 31 2,3 *");
}

}  // namespace
}  // namespace omnicron::cron
