// omnicron next 'EXPR' [--from ISO] [--tz ZONE] [--count N] [--json]
// omnicron next -f FILE [JOB] [--from ISO] [--tz ZONE] [--count N] [--json]
//
// Prints upcoming fire instants, one ISO-8601 instant with its UTC offset per
// line. For a manifest without JOB, the instants of all jobs are merged in
// time order, each followed by the job's name.
#include <cstdio>
#include <memory>
#include <optional>
#include <queue>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "cli/commands.h"
#include "cli/manifest_file.h"
#include "cli/zones.h"
#include "cron/describe.h"
#include "cron/fire_times.h"
#include "error.h"
#include "iso_time.h"
#include "schedule.h"

namespace omnicron::cli {

namespace {

struct NextOptions {
  std::string expression;
  std::string file;
  std::string job;
  std::string from;
  std::string tz;
  long long count = 5;
  bool json = false;
};

cron::Instant start_instant(const NextOptions& options, const tz::Zone& zone) {
  if (options.from.empty())
    return std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  std::string why;
  auto t = parse_instant(options.from, zone, &why);
  if (!t) throw Error(ErrorKind::usage, fmt::format("--from '{}': {}", options.from, why));
  return *t;
}

// Writes lines through one large buffer: printing 100,000 instants must cost
// little next to computing them.
class LineWriter {
 public:
  ~LineWriter() { flush(); }
  char* reserve(std::size_t n) {
    if (buffer_.size() - used_ < n) flush();
    if (buffer_.size() < n) buffer_.resize(n);
    return buffer_.data() + used_;
  }
  void commit(char* end) { used_ = static_cast<std::size_t>(end - buffer_.data()); }
  void flush() {
    std::fwrite(buffer_.data(), 1, used_, stdout);
    used_ = 0;
  }

 private:
  std::vector<char> buffer_ = std::vector<char>(1 << 16);
  std::size_t used_ = 0;
};

int run_expression(const NextOptions& options) {
  const tz::Zone& zone =
      options.tz.empty() ? system_zone() : zone_named(options.tz, "--tz");
  auto parsed = cron::CronExpression::try_parse(options.expression);
  if (auto* error = std::get_if<cron::SyntaxError>(&parsed)) {
    throw Error(ErrorKind::usage, fmt::format("'{}': {}", options.expression, error->message));
  }
  const auto& expr = std::get<cron::CronExpression>(parsed);
  cron::FireTimes times(expr, zone, start_instant(options, zone));
  IsoFormatter iso(zone);

  if (options.json) {
    nlohmann::json out = {{"expression", expr.text()},
                          {"description", cron::describe(expr)},
                          {"timezone", std::string(zone.name())},
                          {"fire_times", nlohmann::json::array()}};
    for (long long i = 0; i < options.count; ++i) {
      auto t = times.next();
      if (!t) break;
      out["fire_times"].push_back(iso.format(*t));
    }
    std::puts(out.dump(2).c_str());
    return 0;
  }
  LineWriter out;
  for (long long i = 0; i < options.count; ++i) {
    auto t = times.next();
    if (!t) break;
    char* p = iso.format_to(*t, out.reserve(IsoFormatter::kLength + 1));
    *p++ = '\n';
    out.commit(p);
  }
  return 0;
}

// One job's upcoming instants, merged over the cron expressions its schedule
// compiles to (a schedule is a union).
struct JobTimes {
  std::string name;
  const tz::Zone* zone;
  std::vector<cron::CronExpression> expressions;
  std::vector<std::unique_ptr<cron::FireTimes>> cursors;
  std::vector<std::optional<cron::Instant>> heads;

  std::optional<cron::Instant> peek() const {
    std::optional<cron::Instant> best;
    for (const auto& h : heads)
      if (h && (!best || *h < *best)) best = h;
    return best;
  }
  // Removes the earliest instant; equal instants from several expressions
  // are one run, as cron runs a job once per minute.
  void pop(cron::Instant t) {
    for (std::size_t i = 0; i < heads.size(); ++i)
      if (heads[i] && *heads[i] == t) heads[i] = cursors[i]->next();
  }
};

int run_manifest(const NextOptions& options) {
  ManifestFile file = read_manifest(options.file);
  if (print_diagnostics(file, file.result.diagnostics)) return 2;
  const Manifest& manifest = file.result.manifest;
  const tz::Zone& default_zone =
      options.tz.empty() ? system_zone() : zone_named(options.tz, "--tz");
  const cron::Instant from = start_instant(options, default_zone);

  std::vector<JobTimes> jobs;
  for (const Job& job : manifest.jobs) {
    if (!options.job.empty() && job.name != options.job) continue;
    // The POSIX view: `next` answers for this machine's scheduler.
    EffectiveJob effective = effective_job(manifest, job, Platform::posix);
    JobTimes times{job.name, effective.timezone ? &zone_named(*effective.timezone, "timezone")
                                                : &default_zone,
                   {}, {}, {}};
    for (const ScheduleItem& item : effective.schedule.items) {
      if (item.kind == ScheduleItem::Kind::boot || item.kind == ScheduleItem::Kind::logon)
        continue;  // Events, not instants.
      for (auto& expr : to_cron(item)) times.expressions.push_back(std::move(expr));
    }
    jobs.push_back(std::move(times));
  }
  if (!options.job.empty() && jobs.empty())
    throw Error(ErrorKind::usage,
                fmt::format("{}: no job named '{}'", file.path, options.job));
  for (JobTimes& job : jobs) {
    for (const auto& expr : job.expressions) {
      job.cursors.push_back(std::make_unique<cron::FireTimes>(expr, *job.zone, from));
      job.heads.push_back(job.cursors.back()->next());
    }
  }

  // Each instant is printed in the zone the job runs in.
  const bool one_job = !options.job.empty();
  nlohmann::json json_out = nlohmann::json::array();
  for (long long i = 0; i < options.count; ++i) {
    JobTimes* earliest = nullptr;
    for (JobTimes& job : jobs) {
      auto t = job.peek();
      if (t && (!earliest || *t < *earliest->peek())) earliest = &job;
    }
    if (!earliest) break;
    const cron::Instant t = *earliest->peek();
    earliest->pop(t);
    std::string when = IsoFormatter(*earliest->zone).format(t);
    if (options.json)
      json_out.push_back({{"job", earliest->name}, {"time", when}});
    else if (one_job)
      std::puts(when.c_str());
    else
      std::puts(fmt::format("{} {}", when, earliest->name).c_str());
  }
  if (options.json) std::puts(json_out.dump(2).c_str());
  return 0;
}

}  // namespace

void setup_next(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<NextOptions>();
  CLI::App* sub = app.add_subcommand(
      "next", "Print the next fire times of a cron expression or of a manifest's jobs");
  sub->add_option("expression_or_job", options->expression,
                  "A cron expression ('*/15 9-17 * * 1-5', '@daily'); with -f, a job name");
  sub->add_option("-f,--file", options->file, "Read the schedules of this manifest");
  sub->add_option("--from", options->from,
                  "Start after this instant (ISO-8601; default: now)");
  sub->add_option("--tz", options->tz,
                  "Time zone to compute in (IANA name; default: the system's)");
  sub->add_option("-n,--count", options->count, "How many fire times (default: 5)")
      ->check(CLI::Range(1LL, 100000000LL));
  sub->add_flag("--json", options->json, "Print the result as JSON");
  sub->callback([options, &exit_code] {
    if (!options->file.empty()) {
      options->job = options->expression;
      exit_code = run_manifest(*options);
    } else if (options->expression.empty()) {
      throw Error(ErrorKind::usage,
                  "next: give a cron expression, or -f FILE for a manifest's jobs");
    } else {
      exit_code = run_expression(*options);
    }
  });
}

}  // namespace omnicron::cli
