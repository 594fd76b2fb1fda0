// Fuzzes ParseEndpointList (src/inventory/endpoints.h) on arbitrary file contents.
//
// Invariants: endpoints come in file order, on lines of the file, with a non-empty trimmed input,
// a host to connect to and a port from 1; a server name is normalised and never a wildcard; parsing
// an endpoint's input again gives the same endpoint; diagnostics and errors are printable.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/string_view.h"
#include "src/base/diagnostics.h"
#include "src/base/name.h"
#include "src/inventory/endpoints.h"
#include "tests/fuzz/fuzz_util.h"

namespace serialmatch::inventory {
namespace {

void CheckList(absl::string_view text) {
  Diagnostics diags("endpoints.txt");
  absl::StatusOr<std::vector<Endpoint>> list = ParseEndpointList(text, "endpoints.txt", &diags);
  SM_FUZZ_CHECK(fuzz::IsPrintable(diags.Render(), /*allow_newline=*/true), text);
  if (!list.ok()) {
    SM_FUZZ_CHECK(fuzz::IsPrintable(list.status().message()), text);
    return;
  }
  const uint64_t lines = static_cast<uint64_t>(std::count(text.begin(), text.end(), '\n')) + 1;
  uint64_t last_line = 0;
  std::string scratch;
  for (const Endpoint& e : *list) {
    SM_FUZZ_CHECK(e.line > last_line && e.line <= lines, text);
    last_line = e.line;
    SM_FUZZ_CHECK(!e.input.empty() && absl::StripAsciiWhitespace(e.input) == e.input, text);
    SM_FUZZ_CHECK(!e.connect_host.empty() && e.port >= 1, text);
    if (!e.server_name.empty()) {
      const absl::StatusOr<absl::string_view> normal = NormalizeName(e.server_name, &scratch);
      SM_FUZZ_CHECK(normal.ok() && *normal == e.server_name, text);
      SM_FUZZ_CHECK(e.server_name.find('*') == std::string::npos, text);
    }
    const absl::StatusOr<Endpoint> again = ParseEndpoint(e.input);
    SM_FUZZ_CHECK(again.ok() && again->server_name == e.server_name &&
                      again->connect_host == e.connect_host && again->port == e.port,
                  text);
  }
}

}  // namespace
}  // namespace serialmatch::inventory

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  serialmatch::inventory::CheckList(serialmatch::fuzz::AsText(data, size));
  return 0;
}
