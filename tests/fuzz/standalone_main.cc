// A driver for the fuzz targets when the compiler has no libFuzzer (g++):
// it runs every file of the corpus folders given on the command line, then
// a bounded number of deterministic mutations of them (byte flips,
// insertions, deletions, splices). Under AddressSanitizer this is a cheap
// fuzzing pass in every test run, and it replays the inputs that once
// crashed, which are kept in the corpus. With clang, build the same targets
// with -fsanitize=fuzzer instead for open-ended fuzzing.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace {

void run(const std::string& input) {
  LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(input.data()), input.size());
}

std::string mutate(std::string s, const std::vector<std::string>& corpus, std::mt19937& rng) {
  auto pick = [&rng](std::size_t n) {
    return n == 0 ? std::size_t{0} : std::uniform_int_distribution<std::size_t>(0, n - 1)(rng);
  };
  static const char kInteresting[] = "0123456789*/-,@ \t\n:{}[]#'\"\\%\x00\xff";
  const int edits = 1 + static_cast<int>(pick(4));
  for (int e = 0; e < edits; ++e) {
    switch (pick(5)) {
      case 0:
        if (!s.empty()) s[pick(s.size())] = static_cast<char>(pick(256));
        break;
      case 1:
        s.insert(pick(s.size() + 1), 1, kInteresting[pick(sizeof kInteresting - 1)]);
        break;
      case 2:
        if (!s.empty()) s.erase(pick(s.size()), 1 + pick(4));
        break;
      case 3: {
        const std::string& other = corpus[pick(corpus.size())];
        if (!other.empty()) {
          const std::size_t at = pick(other.size());
          s.insert(pick(s.size() + 1), other.substr(at, 1 + pick(16)));
        }
        break;
      }
      default:
        if (!s.empty()) {
          const std::size_t at = pick(s.size());
          s.insert(pick(s.size() + 1), s.substr(at, 1 + pick(8)));
        }
    }
  }
  return s;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> corpus;
  std::size_t iterations = 20000;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg.rfind("--iterations=", 0) == 0) {
      iterations = std::strtoul(arg.c_str() + 13, nullptr, 10);
      continue;
    }
    for (const auto& entry : std::filesystem::directory_iterator(arg)) {
      std::ifstream in(entry.path(), std::ios::binary);
      std::ostringstream bytes;
      bytes << in.rdbuf();
      corpus.push_back(bytes.str());
    }
  }
  if (corpus.empty()) corpus.push_back("");
  for (const auto& input : corpus) run(input);
  std::mt19937 rng(20261121);
  for (std::size_t i = 0; i < iterations; ++i) run(mutate(corpus[i % corpus.size()], corpus, rng));
  std::printf("%zu corpus inputs and %zu mutations ran without a crash\n", corpus.size(),
              iterations);
  return 0;
}
