#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "plan.h"

namespace omnicron::cli {

// A plan as `plan --json` and `sync --json` print it, for any target: TARGET
// names where the jobs are installed (a crontab, a Task Scheduler folder).
nlohmann::json plan_json(const Plan& plan, const std::string& target);

}  // namespace omnicron::cli
