#include "tz/zone.h"

#include <algorithm>
#include <limits>

#include <date/date.h>
#include <fmt/format.h>

#include "error.h"

namespace omnicron::tz {

namespace {

using std::chrono::seconds;
using std::chrono::sys_seconds;

// Far enough to stand for "no transition" on either side, and small enough
// that adding an offset of a day cannot overflow.
constexpr std::int64_t kMinTime = std::numeric_limits<std::int64_t>::min() / 2;
constexpr std::int64_t kMaxTime = std::numeric_limits<std::int64_t>::max() / 2;

class Bytes {
 public:
  Bytes(std::string_view data, const std::string& zone) : data_(data), zone_(zone) {}

  std::string_view take(std::size_t n) {
    if (data_.size() - pos_ < n) fail("the file ends early");
    std::string_view out = data_.substr(pos_, n);
    pos_ += n;
    return out;
  }
  std::uint64_t big_endian(std::size_t n) {
    std::string_view b = take(n);
    std::uint64_t v = 0;
    for (char c : b) v = (v << 8) | static_cast<unsigned char>(c);
    return v;
  }
  std::int64_t signed32() {
    return static_cast<std::int32_t>(static_cast<std::uint32_t>(big_endian(4)));
  }
  std::int64_t signed64() { return static_cast<std::int64_t>(big_endian(8)); }
  std::string_view rest() const { return data_.substr(pos_); }
  std::size_t remaining() const { return data_.size() - pos_; }

  [[noreturn]] void fail(std::string_view why) const {
    throw Error(ErrorKind::io,
                fmt::format("time zone '{}': not a valid TZif file: {}", zone_, why));
  }

 private:
  std::string_view data_;
  const std::string& zone_;
  std::size_t pos_ = 0;
};

struct Header {
  char version;
  std::uint64_t isutcnt, isstdcnt, leapcnt, timecnt, typecnt, charcnt;
};

Header read_header(Bytes& in) {
  if (in.take(4) != "TZif") in.fail("it does not start with 'TZif'");
  Header h{};
  h.version = in.take(1)[0];
  in.take(15);
  h.isutcnt = in.big_endian(4);
  h.isstdcnt = in.big_endian(4);
  h.leapcnt = in.big_endian(4);
  h.timecnt = in.big_endian(4);
  h.typecnt = in.big_endian(4);
  h.charcnt = in.big_endian(4);
  if (h.typecnt == 0 || h.typecnt > 256) in.fail("it has no local time types");
  return h;
}

}  // namespace

Zone Zone::from_tzif(std::string name, std::string_view bytes) {
  Zone zone;
  zone.name_ = std::move(name);
  Bytes in(bytes, zone.name_);
  Header h = read_header(in);
  std::size_t time_size = 4;
  if (h.version >= '2') {
    // Skip the version 1 data block: the 64-bit block after it says the
    // same with times past 2038.
    in.take(h.timecnt * 5 + h.typecnt * 6 + h.charcnt + h.leapcnt * 8 + h.isstdcnt +
            h.isutcnt);
    h = read_header(in);
    time_size = 8;
  }
  // Check the counts against the bytes there are before trusting them with
  // an allocation.
  if (h.timecnt * (time_size + 1) + h.typecnt * 6 + h.charcnt > in.remaining())
    in.fail("its counts promise more data than the file holds");
  zone.transitions_.reserve(h.timecnt);
  for (std::uint64_t i = 0; i < h.timecnt; ++i)
    zone.transitions_.push_back(time_size == 8 ? in.signed64() : in.signed32());
  if (!std::is_sorted(zone.transitions_.begin(), zone.transitions_.end()))
    in.fail("its transitions are not in time order");
  for (std::uint64_t i = 0; i < h.timecnt; ++i) {
    const auto type = static_cast<std::uint8_t>(in.big_endian(1));
    if (type >= h.typecnt) in.fail("a transition names a type that does not exist");
    zone.transition_type_.push_back(type);
  }
  std::vector<std::uint8_t> abbrev_index;
  for (std::uint64_t i = 0; i < h.typecnt; ++i) {
    Type type;
    type.offset = static_cast<std::int32_t>(in.signed32());
    type.dst = in.big_endian(1) != 0;
    abbrev_index.push_back(static_cast<std::uint8_t>(in.big_endian(1)));
    zone.types_.push_back(type);
  }
  const std::string_view chars = in.take(h.charcnt);
  for (std::size_t i = 0; i < zone.types_.size(); ++i) {
    if (abbrev_index[i] >= chars.size()) in.fail("an abbreviation is out of range");
    const std::string_view rest = chars.substr(abbrev_index[i]);
    zone.types_[i].abbrev = std::string(rest.substr(0, rest.find('\0')));
  }
  // Leap second records and the standard/UT indicators do not change
  // offsets; "right/" zones are not used for scheduling.
  in.take(h.leapcnt * (time_size + 4) + h.isstdcnt + h.isutcnt);

  if (time_size == 8) {
    const std::string_view footer = in.rest();
    if (footer.size() < 2 || footer[0] != '\n') in.fail("its footer is missing");
    const std::size_t end = footer.find('\n', 1);
    if (end == std::string_view::npos) in.fail("its footer is not terminated");
    const std::string_view text = footer.substr(1, end - 1);
    if (!text.empty()) {
      zone.rule_ = parse_posix_rule(text);
      if (!zone.rule_) in.fail(fmt::format("its footer rule '{}' cannot be read", text));
    }
  }
  return zone;
}

const Zone& Zone::utc() {
  static const Zone zone = [] {
    Zone z;
    z.name_ = "UTC";
    z.types_.push_back({0, false, "UTC"});
    return z;
  }();
  return zone;
}

Period Zone::of_type(std::size_t type, std::int64_t begin, std::int64_t end) const {
  const Type& t = types_[type];
  return {sys_seconds{seconds{begin}}, sys_seconds{seconds{end}}, seconds{t.offset}, t.dst,
          t.abbrev};
}

Period Zone::get_info(sys_seconds t) const {
  const std::int64_t s = t.time_since_epoch().count();
  // The first transition after s.
  const auto next = std::upper_bound(transitions_.begin(), transitions_.end(), s);
  if (next == transitions_.begin()) {
    // Before the first transition RFC 8536 says type 0 applies.
    return of_type(0, kMinTime, transitions_.empty() ? kMaxTime : transitions_.front());
  }
  if (next != transitions_.end()) {
    const auto i = static_cast<std::size_t>(next - transitions_.begin());
    return of_type(transition_type_[i - 1], transitions_[i - 1], *next);
  }
  if (rule_) return from_rule(t);
  return of_type(transition_type_.back(), transitions_.back(), kMaxTime);
}

Period Zone::from_rule(sys_seconds t) const {
  const PosixRule& rule = *rule_;
  const std::int64_t last = transitions_.empty() ? kMinTime : transitions_.back();
  auto make = [&](bool dst, std::int64_t begin, std::int64_t end) {
    return Period{sys_seconds{seconds{std::max(begin, last)}}, sys_seconds{seconds{end}},
                  dst ? rule.dst_offset : rule.std_offset, dst,
                  dst ? rule.dst_abbrev : rule.std_abbrev};
  };
  if (!rule.has_dst) return make(false, last, kMaxTime);

  // The changes of the year before, this year and the next surround t.
  const int year = static_cast<int>(
      date::year_month_day{std::chrono::floor<date::days>(t)}.year());
  std::vector<PosixRule::Change> changes;
  for (int y = year - 1; y <= year + 1; ++y) {
    auto c = rule.changes_in(y);
    changes.insert(changes.end(), c.begin(), c.end());
  }
  const auto after = std::upper_bound(
      changes.begin(), changes.end(), t,
      [](sys_seconds v, const PosixRule::Change& c) { return v < c.at; });
  // t is at least a year past the first of these changes, so `after` is
  // never the first.
  const auto& before = *(after - 1);
  const std::int64_t end =
      after == changes.end() ? kMaxTime : after->at.time_since_epoch().count();
  return make(before.to_dst, before.at.time_since_epoch().count(), end);
}

LocalPeriods Zone::get_info(date::local_seconds t) const {
  // A local time can only be the instant t - offset for an offset in force a
  // day around it; no zone changes twice within a day.
  const sys_seconds as_utc{t.time_since_epoch()};
  const Period around[2] = {get_info(as_utc - date::days{1}), get_info(as_utc + date::days{1})};
  LocalPeriods out;
  int found = 0;
  for (const Period& candidate : around) {
    const Period p = get_info(as_utc - candidate.offset);
    if (p.offset != candidate.offset) continue;
    if (found == 1 && p.begin == out.first.begin) continue;
    (found == 0 ? out.first : out.second) = p;
    ++found;
  }
  if (found == 0) {
    out.result = LocalPeriods::nonexistent;
    out.first = around[0];
    out.second = around[1];
  } else {
    out.result = found == 1 ? LocalPeriods::unique : LocalPeriods::ambiguous;
  }
  return out;
}

}  // namespace omnicron::tz
