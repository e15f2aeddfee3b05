#include "runner/conditions.h"

#include <gtest/gtest.h>

namespace omnicron::runner {
namespace {

using namespace std::chrono_literals;

TEST(ConditionsTest, AMachineWithoutBatteryIsOnAcPower) {
  EXPECT_TRUE(on_ac_power({}));
  EXPECT_TRUE(on_ac_power({{"Mains", false}}));
}

TEST(ConditionsTest, ABatteryWithoutOnlineMainsIsNotAcPower) {
  EXPECT_FALSE(on_ac_power({{"Battery", std::nullopt}, {"Mains", false}}));
  EXPECT_FALSE(on_ac_power({{"Battery", std::nullopt}}));
  EXPECT_TRUE(on_ac_power({{"Battery", std::nullopt}, {"Mains", true}}));
  EXPECT_TRUE(on_ac_power({{"Battery", std::nullopt}, {"USB", true}}));
}

constexpr const char* kRouteHeader =
    "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT\n";

TEST(ConditionsTest, FindsTheIpv4DefaultRoute) {
  const std::string with_default = std::string(kRouteHeader) +
      "eth0\t00000000\t0101A8C0\t0003\t0\t0\t100\t00000000\t0\t0\t0\n"
      "eth0\t0001A8C0\t00000000\t0001\t0\t0\t100\t00FFFFFF\t0\t0\t0\n";
  EXPECT_TRUE(has_default_route(with_default, ""));
  const std::string local_only = std::string(kRouteHeader) +
      "eth0\t0001A8C0\t00000000\t0001\t0\t0\t100\t00FFFFFF\t0\t0\t0\n";
  EXPECT_FALSE(has_default_route(local_only, ""));
  EXPECT_FALSE(has_default_route(kRouteHeader, ""));
}

TEST(ConditionsTest, FindsTheIpv6DefaultRouteButNotTheKernelsUnreachableOne) {
  const std::string zero(32, '0');
  const std::string unreachable = zero + " 00 " + zero + " 00 " + zero +
                                  " ffffffff 00000001 00000000 00200200       lo\n";
  EXPECT_FALSE(has_default_route("", unreachable));
  const std::string real = zero + " 00 " + zero + " 00 fe800000000000000000000000000001" +
                           " 00000400 00000001 00000000 00000003     eth0\n";
  EXPECT_TRUE(has_default_route("", unreachable + real));
}

TEST(ConditionsTest, IsIdleOnlyWhenEverySessionIsIdleLongEnough) {
  EXPECT_TRUE(is_idle({}, 10min));
  EXPECT_TRUE(is_idle({15min, 11min}, 10min));
  EXPECT_FALSE(is_idle({15min, 2min}, 10min));
}

}  // namespace
}  // namespace omnicron::runner
