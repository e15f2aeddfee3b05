#pragma once

#include <string>

#include "cron/cron_expression.h"

namespace omnicron::cron {

// An English description of when the expression fires, e.g.
// "every 15 minutes from 09:00 through 17:45, Monday through Friday",
// "at 02:00 on Sunday", "at 00:00 on day 29 of February",
// "at system start-up" (@reboot).
std::string describe(const CronExpression& expr);

}  // namespace omnicron::cron
