// Fuzzes the join end to end: a domain inventory, a serial inventory and a dump, separated by lines
// holding only "%%", are parsed (the dump's format detected, le2020 when none is recognised) and
// every record is matched with Matcher (src/match/matcher.h).
//
// Invariants: the findings are exactly those of a brute-force reference that reads the rules of
// src/index/domain_index.h literally — per inventory entry (duplicates left out) the best of exact,
// wildcard and subtree over the record's normalised names, the first name giving it — plus one
// finding for the first inventory entry with the record's serial; every finding carries the
// record's serial, names and line, and times in RFC 3339 UTC when it has them; with a domain
// inventory every record name that does not normalise is counted once, without one none is.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "src/base/diagnostics.h"
#include "src/base/name.h"
#include "src/dump/le2020_parser.h"
#include "src/dump/line_scanner.h"
#include "src/dump/parser.h"
#include "src/inventory/domains.h"
#include "src/inventory/serials.h"
#include "src/match/finding.h"
#include "src/match/matcher.h"
#include "tests/fuzz/fuzz_util.h"

namespace serialmatch::match {
namespace {

// What a finding says, in a form the reference can produce: kind, inventory line and input, match
// type, matched name (normalised; empty for a serial finding).
using Key = std::tuple<FindingKind, uint64_t, std::string, MatchType, std::string>;

std::optional<MatchType> Classify(absl::string_view name, const inventory::DomainEntry& entry) {
  if (!entry.subtree() && name == entry.name()) return MatchType::kExact;
  const absl::string_view parent = ParentName(entry.name());
  if (entry.name()[0] != '*' && !parent.empty() && name == absl::StrCat("*.", parent)) {
    return MatchType::kWildcard;
  }
  if (entry.subtree() &&
      (name == entry.name() || absl::EndsWith(name, absl::StrCat(".", entry.name())))) {
    return MatchType::kSubtree;
  }
  return std::nullopt;
}

std::vector<Key> Reference(const dump::DumpRecord& record,
                           const inventory::DomainInventory* domains,
                           const inventory::SerialInventory* serials) {
  std::vector<Key> keys;
  if (serials != nullptr && !record.serial.empty()) {
    for (const inventory::SerialEntry& e : serials->entries) {
      if (e.serial == record.serial) {
        keys.emplace_back(FindingKind::kSerial, e.line, std::string(e.input), MatchType::kSerial,
                          "");
        break;
      }
    }
  }
  if (domains == nullptr) return keys;
  std::vector<std::optional<std::string>> normal;
  for (absl::string_view name : record.names()) {
    std::string scratch;
    const absl::StatusOr<absl::string_view> n = NormalizeName(name, &scratch);
    normal.push_back(n.ok() ? std::optional<std::string>(std::string(*n)) : std::nullopt);
  }
  const auto& entries = domains->entries;
  for (size_t j = 0; j < entries.size(); ++j) {
    bool duplicate = false;
    for (size_t k = 0; k < j && !duplicate; ++k) {
      duplicate =
          entries[k].name() == entries[j].name() && entries[k].subtree() == entries[j].subtree();
    }
    if (duplicate) continue;
    std::optional<MatchType> best;
    size_t best_name = 0;
    for (size_t i = 0; i < normal.size(); ++i) {
      if (!normal[i].has_value()) continue;
      const std::optional<MatchType> how = Classify(*normal[i], entries[j]);
      if (how.has_value() && (!best.has_value() || *how < *best)) {
        best = how;
        best_name = i;
      }
    }
    if (best.has_value()) {
      keys.emplace_back(FindingKind::kDomain, entries[j].line(), std::string(entries[j].input()),
                        *best, *normal[best_name]);
    }
  }
  return keys;
}

struct Inputs {
  absl::string_view domains;
  absl::string_view serials;
  absl::string_view dump;
};

Inputs Split(absl::string_view text) {
  absl::string_view parts[3];
  int part = 0;
  size_t start = 0;
  dump::ForEachLine(text, [&](absl::string_view line, uint64_t) {
    if (line != "%%" || part == 2) return;
    parts[part++] = text.substr(start, static_cast<size_t>(line.data() - text.data()) - start);
    start = std::min(text.size(), static_cast<size_t>(line.data() - text.data()) + line.size() + 1);
  });
  parts[part] = text.substr(start);
  return {parts[0], parts[1], parts[2]};
}

void CheckMatch(absl::string_view text) {
  const Inputs in = Split(text);
  Diagnostics diags;
  absl::StatusOr<inventory::DomainInventory> domains =
      inventory::ParseDomainInventory(std::string(in.domains), "domains", &diags);
  absl::StatusOr<inventory::SerialInventory> serials =
      inventory::ParseSerialInventory(std::string(in.serials), "serials", &diags);
  const inventory::DomainInventory* d = domains.ok() ? &*domains : nullptr;
  const inventory::SerialInventory* s = serials.ok() ? &*serials : nullptr;
  if (d == nullptr && s == nullptr) return;
  const Matcher matcher(d, s);

  std::unique_ptr<dump::DumpParser> parser = std::make_unique<dump::Le2020Parser>();
  if (absl::StatusOr<dump::DumpFormat> format = dump::DetectFormat(in.dump); format.ok()) {
    dump::ParserOptions options;
    options.head = in.dump;
    absl::StatusOr<std::unique_ptr<dump::DumpParser>> detected = dump::MakeParser(*format, options);
    if (detected.ok()) parser = *std::move(detected);
  }

  dump::DumpRecord record;
  Matcher::Scratch scratch;
  auto check_record = [&](uint64_t line) {
    std::vector<Finding> findings;
    const uint64_t invalid_before = scratch.invalid_names;
    matcher.Match(record, line, &scratch, &findings);
    uint64_t invalid = 0;
    if (d != nullptr) {
      for (absl::string_view name : record.names()) {
        std::string name_scratch;
        invalid += !NormalizeName(name, &name_scratch).ok();
      }
    }
    SM_FUZZ_CHECK(scratch.invalid_names - invalid_before == invalid, text);
    std::vector<Key> got;
    for (const Finding& f : findings) {
      SM_FUZZ_CHECK(f.serial == record.serial && f.dump_line == line, text);
      SM_FUZZ_CHECK(f.names.size() == record.names().size(), text);
      for (size_t i = 0; i < f.names.size(); ++i) {
        SM_FUZZ_CHECK(f.names[i] == record.names()[i], text);
      }
      if (f.issued_at.has_value()) SM_FUZZ_CHECK(fuzz::LooksLikeRfc3339Utc(*f.issued_at), text);
      if (f.not_after.has_value()) SM_FUZZ_CHECK(fuzz::LooksLikeRfc3339Utc(*f.not_after), text);
      SM_FUZZ_CHECK((f.kind == FindingKind::kSerial) == (f.match == MatchType::kSerial), text);
      got.emplace_back(f.kind, f.inventory_line, f.input, f.match, f.name);
    }
    std::vector<Key> want = Reference(record, d, s);
    std::sort(got.begin(), got.end());
    std::sort(want.begin(), want.end());
    SM_FUZZ_CHECK(got == want, text);
  };

  if (parser->whole_document()) {
    std::string padded(in.dump);
    padded.resize(in.dump.size() + dump::kDocumentPadding);
    const absl::Status status =
        parser->ParseDocument(absl::string_view(padded.data(), in.dump.size()), &record,
                              check_record, [](uint64_t, absl::string_view) {});
    static_cast<void>(status);
    return;
  }
  dump::ForEachLine(dump::StripBom(in.dump), [&](absl::string_view line, uint64_t number) {
    std::string reason;
    if (parser->Parse(line, &record, &reason) == dump::LineKind::kRecord) check_record(number);
  });
}

}  // namespace
}  // namespace serialmatch::match

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  serialmatch::match::CheckMatch(serialmatch::fuzz::AsText(data, size));
  return 0;
}
