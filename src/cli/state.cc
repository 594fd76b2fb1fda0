#include "src/cli/state.h"

#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "simdjson.h"
#include "src/base/file_util.h"
#include "src/base/status_macros.h"
#include "src/base/text_encoding.h"
#include "src/base/time.h"
#include "src/report/report.h"

namespace serialmatch::cli {
namespace {

bool KnownKind(absl::string_view name) {
  for (const match::FindingKind kind :
       {match::FindingKind::kDomain, match::FindingKind::kSerial, match::FindingKind::kCertificate,
        match::FindingKind::kEndpoint}) {
    if (match::KindName(kind) == name) return true;
  }
  return false;
}

bool KnownStatus(absl::string_view name) {
  for (int i = 0; i < match::kFindingStatusCount; ++i) {
    if (match::StatusName(static_cast<match::FindingStatus>(i)) == name) return true;
  }
  return false;
}

absl::Status Corrupt(absl::string_view path, absl::string_view what) {
  return absl::DataLossError(absl::StrCat(path, ": not a usable serialmatch state file: ", what,
                                          " (remove it to start afresh: every finding new)"));
}

// The time of member `key` of `object`, an RFC 3339 string.
absl::StatusOr<absl::Time> TimeMember(simdjson::dom::object object, const char* key,
                                      absl::string_view where, absl::string_view path) {
  std::string_view text;
  if (object[key].get(text) != simdjson::SUCCESS) {
    return Corrupt(path, absl::StrCat(where, "member '", key, "' is missing or not a string"));
  }
  absl::Time t;
  std::string error;
  if (!absl::ParseTime(absl::RFC3339_full, absl::string_view(text.data(), text.size()), &t,
                       &error)) {
    return Corrupt(path, absl::StrCat(where, "member '", key, "' is not an RFC 3339 time, got '",
                                      report::EscapeForTerminal(absl::string_view(
                                          text.data(), std::min<size_t>(64, text.size()))),
                                      "'"));
  }
  return t;
}

// A string member of a finding, null read as empty.
absl::Status StringMember(simdjson::dom::object object, const char* key, absl::string_view where,
                          absl::string_view path, std::string* out) {
  simdjson::dom::element value;
  if (object[key].get(value) != simdjson::SUCCESS) {
    return Corrupt(path, absl::StrCat(where, "member '", key, "' is missing"));
  }
  if (value.is_null()) {
    out->clear();
    return absl::OkStatus();
  }
  std::string_view text;
  if (value.get(text) != simdjson::SUCCESS) {
    return Corrupt(path, absl::StrCat(where, "member '", key, "' is not a string or null"));
  }
  out->assign(text.data(), text.size());
  return absl::OkStatus();
}

std::string JsonStringOrNull(absl::string_view text) {
  return text.empty() ? "null" : report::JsonQuote(text);
}

}  // namespace

std::string EntryKey(const StateEntry& e) {
  // Each field length-prefixed: no byte a field holds can make two keys equal.
  std::string key;
  for (const std::string* field : {&e.kind, &e.inventory, &e.input, &e.certificate_sha256,
                                   &e.status, &e.name, &e.serial, &e.issuer, &e.record_sha256}) {
    absl::StrAppend(&key, field->size(), ":", *field, ";");
  }
  return key;
}

StateEntry EntryOf(const match::Finding& f) {
  StateEntry e;
  e.kind = std::string(match::KindName(f.kind));
  // Invalid UTF-8 as U+FFFD, as report::JsonQuote writes it into the file, so that a key computed
  // from a finding equals the key read back.
  e.inventory = ValidUtf8(f.inventory_path);
  e.input = ValidUtf8(f.input);
  if (f.certificate != nullptr) e.certificate_sha256 = ValidUtf8(f.certificate->sha256);
  e.status = std::string(match::StatusName(f.status));
  e.name = ValidUtf8(f.name);
  e.serial = ValidUtf8(f.serial);
  e.issuer = ValidUtf8(f.issuer);
  e.record_sha256 = ValidUtf8(f.cert_sha256);
  e.first_seen = absl::UnixEpoch();
  return e;
}

absl::StatusOr<State> ParseState(absl::string_view text, absl::string_view path) {
  if (text.empty()) return Corrupt(path, "the file is empty");
  simdjson::dom::parser parser;
  const simdjson::padded_string padded(text.data(), text.size());
  simdjson::dom::element root;
  if (const simdjson::error_code error = parser.parse(padded).get(root);
      error != simdjson::SUCCESS) {
    return Corrupt(path, absl::StrCat("invalid JSON (", simdjson::error_message(error), ")"));
  }
  simdjson::dom::object object;
  if (root.get(object) != simdjson::SUCCESS) return Corrupt(path, "not a JSON object");
  simdjson::dom::element version_value;
  if (object["serialmatch_state"].get(version_value) != simdjson::SUCCESS) {
    return Corrupt(path, "no 'serialmatch_state' version member");
  }
  int64_t version = 0;
  if (version_value.get(version) != simdjson::SUCCESS) {
    return Corrupt(path, "its 'serialmatch_state' version is not an integer");
  }
  if (version != kStateVersion) {
    return Corrupt(path, absl::StrCat("state format version ", version,
                                      "; this serialmatch reads "
                                      "version ",
                                      kStateVersion));
  }
  State state;
  SM_ASSIGN_OR_RETURN(state.run_at, TimeMember(object, "run_at", "", path));
  simdjson::dom::array findings;
  if (object["findings"].get(findings) != simdjson::SUCCESS) {
    return Corrupt(path, "member 'findings' is missing or not an array");
  }
  size_t index = 0;
  for (const simdjson::dom::element item : findings) {
    const std::string where = absl::StrCat("findings[", index++, "]: ");
    simdjson::dom::object entry_object;
    if (item.get(entry_object) != simdjson::SUCCESS) return Corrupt(path, where + "not an object");
    StateEntry& e = state.entries.emplace_back();
    SM_RETURN_IF_ERROR(StringMember(entry_object, "kind", where, path, &e.kind));
    SM_RETURN_IF_ERROR(StringMember(entry_object, "inventory", where, path, &e.inventory));
    SM_RETURN_IF_ERROR(StringMember(entry_object, "input", where, path, &e.input));
    SM_RETURN_IF_ERROR(
        StringMember(entry_object, "certificate_sha256", where, path, &e.certificate_sha256));
    SM_RETURN_IF_ERROR(StringMember(entry_object, "status", where, path, &e.status));
    SM_RETURN_IF_ERROR(StringMember(entry_object, "name", where, path, &e.name));
    SM_RETURN_IF_ERROR(StringMember(entry_object, "serial", where, path, &e.serial));
    SM_RETURN_IF_ERROR(StringMember(entry_object, "issuer", where, path, &e.issuer));
    SM_RETURN_IF_ERROR(StringMember(entry_object, "record_sha256", where, path, &e.record_sha256));
    if (!KnownKind(e.kind)) {
      return Corrupt(path,
                     absl::StrCat(where, "unknown kind '", report::EscapeForTerminal(e.kind), "'"));
    }
    if (!KnownStatus(e.status)) {
      return Corrupt(
          path, absl::StrCat(where, "unknown status '", report::EscapeForTerminal(e.status), "'"));
    }
    SM_ASSIGN_OR_RETURN(e.first_seen, TimeMember(entry_object, "first_seen", where, path));
  }
  return state;
}

absl::StatusOr<std::optional<State>> ReadStateFile(const std::string& path) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) {
    const int err = errno;
    if (err != ENOENT) return absl::ErrnoToStatus(err, absl::StrCat(path, ": cannot read"));
    // None yet, unless its directory is missing too: then it could not be written either.
    const size_t slash = path.rfind('/');
    const std::string dir = slash == std::string::npos ? "." : path.substr(0, slash + 1);
    struct stat dir_st;
    if (::stat(dir.c_str(), &dir_st) != 0 || !S_ISDIR(dir_st.st_mode)) {
      return absl::NotFoundError(
          absl::StrCat(path, ": no such file, and its directory ", dir, " does not exist"));
    }
    return std::nullopt;
  }
  if (S_ISDIR(st.st_mode)) {
    return absl::FailedPreconditionError(absl::StrCat(path, ": is a directory, not a file"));
  }
  if (!S_ISREG(st.st_mode)) {
    // A device or a pipe would be read without end (/dev/zero) or once: not a state to keep.
    return absl::FailedPreconditionError(absl::StrCat(path, ": not a regular file"));
  }
  SM_ASSIGN_OR_RETURN(const std::string text, ReadFileToString(path));
  SM_ASSIGN_OR_RETURN(State state, ParseState(text, path));
  return std::optional<State>(std::move(state));
}

std::string RenderState(const State& state) {
  std::string out = absl::StrCat("{\"serialmatch_state\":", kStateVersion,
                                 ",\"run_at\":", report::JsonQuote(FormatRfc3339(state.run_at)),
                                 ",\"findings\":[");
  for (size_t i = 0; i < state.entries.size(); ++i) {
    const StateEntry& e = state.entries[i];
    absl::StrAppend(
        &out, i == 0 ? "\n" : ",\n", "{\"kind\":", report::JsonQuote(e.kind),
        ",\"inventory\":", JsonStringOrNull(e.inventory), ",\"input\":", report::JsonQuote(e.input),
        ",\"certificate_sha256\":", JsonStringOrNull(e.certificate_sha256),
        ",\"status\":", report::JsonQuote(e.status), ",\"name\":", JsonStringOrNull(e.name),
        ",\"serial\":", JsonStringOrNull(e.serial), ",\"issuer\":", JsonStringOrNull(e.issuer),
        ",\"record_sha256\":", JsonStringOrNull(e.record_sha256),
        ",\"first_seen\":", report::JsonQuote(FormatRfc3339(e.first_seen)), "}");
  }
  absl::StrAppend(&out, state.entries.empty() ? "" : "\n", "]}\n");
  return out;
}

Comparison CompareWithState(const std::vector<match::Finding>& findings, const State* previous,
                            absl::Time now) {
  absl::flat_hash_map<std::string, absl::Time> before;  // key -> first seen
  if (previous != nullptr) {
    before.reserve(previous->entries.size());
    for (const StateEntry& e : previous->entries) {
      const auto [it, inserted] = before.try_emplace(EntryKey(e), e.first_seen);
      if (!inserted) it->second = std::min(it->second, e.first_seen);
    }
  }
  Comparison out;
  out.next.run_at = now;
  out.is_new.reserve(findings.size());
  absl::flat_hash_map<std::string, size_t> next_index;  // key -> index in out.next.entries
  for (const match::Finding& f : findings) {
    StateEntry entry = EntryOf(f);
    std::string key = EntryKey(entry);
    const auto was = before.find(key);
    const bool is_new = was == before.end();
    out.is_new.push_back(is_new);
    ++(is_new ? out.new_findings : out.unchanged);
    if (next_index.contains(key)) continue;  // the same finding through another dump
    entry.first_seen = is_new ? now : was->second;
    next_index.emplace(std::move(key), out.next.entries.size());
    out.next.entries.push_back(std::move(entry));
  }
  for (const auto& [key, first_seen] : before) out.resolved += !next_index.contains(key);
  // Sorted by key, so that the same findings give the same file whatever their order.
  std::vector<std::pair<std::string, size_t>> order(next_index.begin(), next_index.end());
  std::sort(order.begin(), order.end());
  std::vector<StateEntry> sorted;
  sorted.reserve(order.size());
  for (const auto& [key, i] : order) sorted.push_back(std::move(out.next.entries[i]));
  out.next.entries = std::move(sorted);
  return out;
}

}  // namespace serialmatch::cli
