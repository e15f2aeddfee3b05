// omnicron status [-f FILE | --namespace NS] [--json] [--state-dir DIR]
//
// For every job: its schedule, next run, last run, last result, duration
// and failure streak. The schedule and next run come from the manifest (-f);
// everything else from the runner's history under the state directory.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/manifest_file.h"
#include "cli/runner_state.h"
#include "cli/zones.h"
#include "cron/fire_times.h"
#include "error.h"
#include "iso_time.h"
#include "runner/job_dir.h"
#include "runner/log_file.h"
#include "runner/status.h"
#include "schedule.h"

namespace omnicron::cli {

namespace {

namespace fs = std::filesystem;

struct StatusOptions {
  std::string file;
  std::string namespace_;
  std::string state_dir;
  std::string now;  // ISO-8601; empty: the clock
  bool json = false;
};

// The jobs shown are those the manifest has for this OS, with its overlays.
#if defined(_WIN32)
constexpr Platform kThisPlatform = Platform::windows;
#else
constexpr Platform kThisPlatform = Platform::posix;
#endif

struct JobRow {
  runner::JobId id;
  std::string schedule;             // empty without a manifest
  std::optional<std::string> next;  // likewise
  runner::JobSummary summary;
};

std::string schedule_text(const Schedule& schedule) {
  std::string out;
  for (const ScheduleItem& item : schedule.items) {
    if (!out.empty()) out += "; ";
    switch (item.kind) {
      case ScheduleItem::Kind::boot: out += "on boot"; break;
      case ScheduleItem::Kind::logon: out += "on logon"; break;
      default: {
        std::string exprs;
        for (const auto& expr : to_cron(item)) {
          if (!exprs.empty()) exprs += ", ";
          exprs += expr.text();
        }
        out += exprs;
      }
    }
  }
  return out;
}

std::optional<std::string> next_run(const EffectiveJob& job, const tz::Zone& zone,
                                    cron::Instant now) {
  std::optional<cron::Instant> best;
  for (const ScheduleItem& item : job.schedule.items) {
    if (item.kind == ScheduleItem::Kind::boot || item.kind == ScheduleItem::Kind::logon) continue;
    for (const auto& expr : to_cron(item)) {
      auto t = cron::FireTimes(expr, zone, now).next();
      if (t && (!best || *t < *best)) best = t;
    }
  }
  if (!best) return std::nullopt;
  return IsoFormatter(zone).format(*best);
}

// The instant next runs are counted from: --now (for reproducible output,
// as `next --from`), else the clock. Only "next run" depends on it; every
// other field comes from the history as recorded.
cron::Instant status_time(const StatusOptions& options) {
  if (options.now.empty()) {
    return std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  }
  std::string why;
  auto t = parse_instant(options.now, system_zone(), &why);
  if (!t) throw Error(ErrorKind::usage, fmt::format("--now '{}': {}", options.now, why));
  return *t;
}

std::vector<JobRow> rows_from_manifest(const StatusOptions& options, const fs::path& state,
                                       cron::Instant now) {
  ManifestFile file = read_manifest(options.file);
  if (print_diagnostics(file, file.result.diagnostics)) {
    throw Error(ErrorKind::manifest, fmt::format("{}: the manifest has errors", file.path));
  }
  const Manifest& manifest = file.result.manifest;
  std::vector<JobRow> rows;
  for (const Job& job : manifest.jobs) {
    if (!runs_on(job, kThisPlatform)) continue;
    EffectiveJob effective = effective_job(manifest, job, kThisPlatform);
    const tz::Zone& zone =
        effective.timezone ? zone_named(*effective.timezone, "timezone") : system_zone();
    JobRow row{{manifest.namespace_, job.name}, schedule_text(effective.schedule), {}, {}};
    if (effective.enabled) row.next = next_run(effective, zone, now);
    row.summary = runner::summarize(
        runner::parse_history(os::read_history(runner::job_dir(state, row.id))));
    rows.push_back(std::move(row));
  }
  return rows;
}

// Without a manifest, every job that has a history (in NAMESPACE only, when
// given); folder names are safe_file_name()s, and the record holds the
// job's real name.
std::vector<JobRow> rows_from_history(const StatusOptions& options, const fs::path& state) {
  std::vector<JobRow> rows;
  std::error_code ec;
  const fs::path jobs = state / "jobs";
  for (const auto& ns : fs::directory_iterator(jobs, ec)) {
    if (!options.namespace_.empty() &&
        ns.path().filename() != runner::safe_file_name(options.namespace_)) {
      continue;
    }
    for (const auto& job : fs::directory_iterator(ns.path(), ec)) {
      auto records = runner::parse_history(os::read_history(job.path()));
      if (records.empty()) continue;
      auto id = runner::parse_job_id(records.back().job);
      if (!id) continue;
      rows.push_back({*id, {}, {}, runner::summarize(records)});
    }
  }
  std::sort(rows.begin(), rows.end(),
            [](const JobRow& a, const JobRow& b) { return a.id.text() < b.id.text(); });
  return rows;
}

std::string result_text(const runner::JobSummary& s) {
  if (!s.last_run) return s.last_skip ? runner::describe_result(*s.last_skip) : "never ran";
  return runner::describe_result(*s.last_run);
}

nlohmann::json record_json(const runner::RunRecord& r) {
  return nlohmann::json::parse(runner::to_json_line(r));
}

int run_status(const StatusOptions& options) {
  const fs::path state = runner_state_root(options.state_dir);
  // Read even without a manifest, which has no next runs, so a bad --now is
  // never silently ignored.
  const cron::Instant now = status_time(options);
  const std::vector<JobRow> rows = options.file.empty() ? rows_from_history(options, state)
                                                        : rows_from_manifest(options, state, now);
  if (options.json) {
    nlohmann::json out = nlohmann::json::array();
    for (const JobRow& row : rows) {
      nlohmann::json j = {{"job", row.id.text()},
                          {"failure_streak", row.summary.failure_streak},
                          {"runs", row.summary.runs}};
      if (!row.schedule.empty()) j["schedule"] = row.schedule;
      j["next_run"] = row.next ? nlohmann::json(*row.next) : nlohmann::json(nullptr);
      j["last_run"] = row.summary.last_run ? record_json(*row.summary.last_run) : nlohmann::json(nullptr);
      if (row.summary.last_skip) j["last_skip"] = record_json(*row.summary.last_skip);
      out.push_back(std::move(j));
    }
    std::puts(out.dump(2).c_str());
    return 0;
  }
  if (rows.empty()) {
    std::puts("no jobs have run yet");
    return 0;
  }
  std::string text;
  for (const JobRow& row : rows) {
    const auto& s = row.summary;
    text += row.id.text() + "\n";
    if (!row.schedule.empty()) text += fmt::format("  schedule: {}\n", row.schedule);
    if (!options.file.empty()) text += fmt::format("  next run: {}\n", row.next.value_or("none"));
    if (s.last_run) {
      text += fmt::format("  last run: {} ({:.3f}s)\n", runner::format_utc(s.last_run->start),
                          static_cast<double>(s.last_run->duration().count()) / 1000.0);
    } else {
      text += "  last run: never\n";
    }
    text += fmt::format("  result:   {}\n", result_text(s));
    if (s.last_run && s.last_skip) {
      text += fmt::format("  skipped:  {} ({})\n", runner::format_utc(s.last_skip->start),
                          s.last_skip->reason);
    }
    text += fmt::format("  failures in a row: {}\n", s.failure_streak);
  }
  std::fputs(text.c_str(), stdout);
  return 0;
}

}  // namespace

void setup_status(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<StatusOptions>();
  CLI::App* sub = app.add_subcommand(
      "status", "Show every job's schedule, next run, last run and result, and failure streak");
  sub->add_option("-f,--file", options->file, "The manifest whose jobs to show");
  sub->add_option("--namespace", options->namespace_,
                  "Without -f: only this namespace's jobs (default: every job with a history)")
      ->excludes("--file");
  sub->add_option("--state-dir", options->state_dir,
                  "Where the runner keeps histories (default: the state directory)");
  sub->add_option("--now", options->now,
                  "Count next runs from this instant instead of the clock (ISO-8601, as "
                  "next --from)");
  sub->add_flag("--json", options->json, "Print the result as JSON");
  sub->callback([options, &exit_code] { exit_code = run_status(*options); });
}

}  // namespace omnicron::cli
