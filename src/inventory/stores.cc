#include "src/inventory/stores.h"

#include <openssl/crypto.h>

#include <algorithm>
#include <cstdint>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "simdjson.h"
#include "src/base/file_util.h"
#include "src/base/line_counter.h"
#include "src/base/parallel.h"
#include "src/inventory/keys.h"
#include "src/inventory/renew.h"
#include "yaml-cpp/yaml.h"

namespace serialmatch::inventory {
namespace {

using simdjson::error_code;
using simdjson::ondemand::json_type;
using simdjson::ondemand::value;

// Returns the simdjson error of `expr`, if any, from the enclosing function.
#define SM_JSON_CONCAT_INNER(a, b) a##b
#define SM_JSON_CONCAT(a, b) SM_JSON_CONCAT_INNER(a, b)
#define SM_JSON_TRY(expr) SM_JSON_TRY_IMPL(SM_JSON_CONCAT(sm_json_error_, __LINE__), expr)
#define SM_JSON_TRY_IMPL(error, expr)                         \
  do {                                                        \
    if (const error_code error = (expr); error) return error; \
  } while (false)

constexpr absl::string_view kCertManagerName = "cert-manager.io/certificate-name";

// A Secret as far as it matters here. Every text is a view, never a copy: of the parsed file's
// bytes or the JSON parser's unescaped strings (ParseStoreFile keeps both until the certificates
// are read), or of the YAML documents' scalars (kept in StoreContent). tls.crt is decoded only
// when its certificates are parsed, tls.key only to take its public key (keys.h); other values
// are never read.
struct SecretEntry {
  const char* start = nullptr;  // its '{' in the parsed copy (JSON)
  uint64_t line = 1;            // the line where it starts
  absl::string_view kind;
  absl::string_view type;
  absl::string_view name;
  absl::string_view name_space;
  absl::string_view certificate_name;  // cert-manager's annotation
  bool has_crt = false;                // a tls.crt key, in data or stringData
  bool crt_plain = false;              // read from stringData: PEM, not base64
  bool crt_not_string = false;         // tls.crt is a number, an object, ...
  absl::string_view crt;
  absl::string_view key;  // tls.key as written (base64 in data, PEM in stringData); never printed
  bool key_plain = false;
};

// One certificate entry of an acme.json.
struct AcmeEntry {
  const char* start = nullptr;  // its '{' in the parsed copy
  uint64_t line = 1;            // the line where it starts
  std::string resolver;         // empty for Traefik v1
  std::string main;
  bool has_certificate = false;
  bool certificate_not_string = false;
  std::string certificate;  // base64 of the PEM chain
  std::string key;          // base64 of the PEM private key; never printed
};

// What one JSON file holds, read in one pass whatever the order of the keys (kubectl writes
// "items" before "kind").
struct StoreContent {
  SecretEntry top;  // the top-level object's Secret fields (a single Secret)
  std::vector<SecretEntry> items;
  bool items_seen = false;
  uint64_t items_not_objects = 0;
  std::vector<AcmeEntry> acme;
  bool acme_seen = false;  // a resolver (or v1's top-level Certificates) was found
  // The YAML documents read, which the Secrets' views point into.
  std::vector<YAML::Node> yaml_documents;
  // "JSON" or "YAML": what the file was read as, for messages.
  absl::string_view syntax = "JSON";
};

std::string_view ToStd(absl::string_view s) { return {s.data(), s.size()}; }
absl::string_view View(std::string_view s) { return {s.data(), s.size()}; }

// Reads `v` into `out` when it is a string; `*is_string` says whether it was.
error_code ReadString(value& v, std::string* out, bool* is_string) {
  json_type type;
  SM_JSON_TRY(v.type().get(type));
  *is_string = type == json_type::string;
  if (!*is_string) return simdjson::SUCCESS;  // the caller decides; the value is skipped
  std::string_view text;
  SM_JSON_TRY(v.get_string().get(text));
  out->assign(text.data(), text.size());
  return simdjson::SUCCESS;
}

error_code ReadOptionalString(value& v, std::string* out) {
  bool is_string = false;
  return ReadString(v, out, &is_string);
}

// Reads `v` as a view into `out` when it is a string; `*is_string` says whether it was. A string
// without a backslash (base64 and PEM as kubectl writes them) is viewed in the document's own
// bytes, without a copy; one with escapes in its unescaped copy in the parser's string buffer.
// Either view lives as long as the parser and the document.
error_code ReadStringView(value& v, absl::string_view* out, bool* is_string) {
  json_type type;
  SM_JSON_TRY(v.type().get(type));
  *is_string = type == json_type::string;
  if (!*is_string) return simdjson::SUCCESS;  // the caller decides; the value is skipped
  // The token runs from its opening quote to the next token, whitespace included.
  absl::string_view token = View(v.raw_json_token());
  while (!token.empty() && absl::ascii_isspace(static_cast<unsigned char>(token.back()))) {
    token.remove_suffix(1);
  }
  if (token.size() >= 2 && token.back() == '"' && token.find('\\') == absl::string_view::npos) {
    simdjson::ondemand::raw_json_string raw;
    SM_JSON_TRY(v.get_raw_json_string().get(raw));  // moves past the string, unescaping nothing
    *out = token.substr(1, token.size() - 2);
    return simdjson::SUCCESS;
  }
  std::string_view text;
  SM_JSON_TRY(v.get_string().get(text));
  *out = View(text);
  return simdjson::SUCCESS;
}

error_code ReadOptionalStringView(value& v, absl::string_view* out) {
  bool is_string = false;
  return ReadStringView(v, out, &is_string);
}

// Whether `v` is an object; when it is, `*object` iterates it.
error_code AsObject(value& v, simdjson::ondemand::object* object, bool* is_object) {
  json_type type;
  SM_JSON_TRY(v.type().get(type));
  *is_object = type == json_type::object;
  if (*is_object) SM_JSON_TRY(v.get_object().get(*object));
  return simdjson::SUCCESS;
}

// Calls `on_field(key, value)` for each field of `v` when it is an object; other values are
// skipped (a Secret's metadata that is not an object names nothing).
template <typename OnField>
error_code ForEachField(value& v, OnField on_field) {
  simdjson::ondemand::object object;
  bool is_object = false;
  SM_JSON_TRY(AsObject(v, &object, &is_object));
  if (!is_object) return simdjson::SUCCESS;
  for (auto field : object) {
    simdjson::ondemand::field f;
    SM_JSON_TRY(std::move(field).get(f));
    std::string_view key;
    SM_JSON_TRY(f.unescaped_key().get(key));
    SM_JSON_TRY(on_field(key, f.value()));
  }
  return simdjson::SUCCESS;
}

// Reads one field of a Secret object into `secret`.
error_code ReadSecretField(std::string_view key, value& v, SecretEntry* secret) {
  if (key == "kind") return ReadOptionalStringView(v, &secret->kind);
  if (key == "type") return ReadOptionalStringView(v, &secret->type);
  if (key == "metadata") {
    return ForEachField(v, [&](std::string_view k, value& m) -> error_code {
      if (k == "name") return ReadOptionalStringView(m, &secret->name);
      if (k == "namespace") return ReadOptionalStringView(m, &secret->name_space);
      if (k != "annotations") return simdjson::SUCCESS;  // labels, uid, ...: not used
      return ForEachField(m, [&](std::string_view a, value& annotation) -> error_code {
        if (a != ToStd(kCertManagerName)) return simdjson::SUCCESS;  // other annotations
        return ReadOptionalStringView(annotation, &secret->certificate_name);
      });
    });
  }
  const bool plain = key == "stringData";
  if (!plain && key != "data") return simdjson::SUCCESS;  // apiVersion, immutable: not used
  return ForEachField(v, [&](std::string_view k, value& d) -> error_code {
    // ca.crt and every other value is never read; tls.key only for its public key, and no key
    // byte reaches a message.
    if (k == "tls.key") {
      if (plain && !secret->key.empty() && !secret->key_plain) return simdjson::SUCCESS;
      bool is_string = false;
      SM_JSON_TRY(ReadStringView(d, &secret->key, &is_string));
      if (!is_string) secret->key = {};
      secret->key_plain = plain;
      return simdjson::SUCCESS;
    }
    if (k != "tls.crt") return simdjson::SUCCESS;
    // The API server folds stringData into data; when both are written, data is what it keeps.
    if (plain && secret->has_crt && !secret->crt_plain) return simdjson::SUCCESS;
    secret->has_crt = true;
    secret->crt_plain = plain;
    bool is_string = false;
    SM_JSON_TRY(ReadStringView(d, &secret->crt, &is_string));
    if (!is_string) {
      bool is_null = false;
      SM_JSON_TRY(d.is_null().get(is_null));
      secret->crt_not_string = !is_null;  // null: an empty value
      secret->crt = {};
    }
    return simdjson::SUCCESS;
  });
}

// Reads an acme.json `Certificates` value (an array, or null for a resolver without any).
error_code ReadAcmeCertificates(value& v, const std::string& resolver, StoreContent* content) {
  json_type type;
  SM_JSON_TRY(v.type().get(type));
  if (type != json_type::array) return simdjson::SUCCESS;  // null: no certificates yet
  simdjson::ondemand::array array;
  SM_JSON_TRY(v.get_array().get(array));
  for (auto element : array) {
    value entry_value;
    SM_JSON_TRY(std::move(element).get(entry_value));
    AcmeEntry entry;
    entry.resolver = resolver;
    entry.start = entry_value.raw_json_token().data();
    // Traefik v2 writes domain/main/certificate, v1 Domain/Main/Certificate: any case is read.
    SM_JSON_TRY(ForEachField(entry_value, [&](std::string_view k, value& f) -> error_code {
      if (absl::EqualsIgnoreCase(View(k), "domain")) {
        return ForEachField(f, [&](std::string_view d, value& name) -> error_code {
          if (!absl::EqualsIgnoreCase(View(d), "main"))
            return simdjson::SUCCESS;  // sans: in the cert
          return ReadOptionalString(name, &entry.main);
        });
      }
      // "key" is read for its public key only (v1's "PrivateKey" is not read).
      if (k == "key") {
        bool is_string = false;
        SM_JSON_TRY(ReadString(f, &entry.key, &is_string));
        if (!is_string) entry.key.clear();
        return simdjson::SUCCESS;
      }
      if (!absl::EqualsIgnoreCase(View(k), "certificate")) return simdjson::SUCCESS;
      entry.has_certificate = true;
      json_type t;
      SM_JSON_TRY(f.type().get(t));
      if (t == json_type::object) {  // v1: {"Domain", "CertURL", "PrivateKey", "Certificate"}
        return ForEachField(f, [&](std::string_view c, value& pem) -> error_code {
          if (c != "Certificate") return simdjson::SUCCESS;
          bool is_string = false;
          SM_JSON_TRY(ReadString(pem, &entry.certificate, &is_string));
          entry.certificate_not_string = !is_string;
          return simdjson::SUCCESS;
        });
      }
      bool is_string = false;
      SM_JSON_TRY(ReadString(f, &entry.certificate, &is_string));
      entry.certificate_not_string = !is_string && t != json_type::null;
      return simdjson::SUCCESS;
    }));
    content->acme.push_back(std::move(entry));
  }
  return simdjson::SUCCESS;
}

error_code ReadStore(simdjson::ondemand::document& doc, StoreContent* content) {
  simdjson::ondemand::object top;
  SM_JSON_TRY(doc.get_object().get(top));
  for (auto field : top) {
    simdjson::ondemand::field f;
    SM_JSON_TRY(std::move(field).get(f));
    std::string_view key;
    SM_JSON_TRY(f.unescaped_key().get(key));
    value& v = f.value();
    if (key == "items") {
      json_type type;
      SM_JSON_TRY(v.type().get(type));
      if (type != json_type::array) continue;  // not a List's items: nothing to read
      content->items_seen = true;
      simdjson::ondemand::array items;
      SM_JSON_TRY(v.get_array().get(items));
      for (auto item : items) {
        value item_value;
        SM_JSON_TRY(std::move(item).get(item_value));
        SecretEntry secret;
        secret.start = item_value.raw_json_token().data();
        json_type item_type;
        SM_JSON_TRY(item_value.type().get(item_type));
        if (item_type != json_type::object) {
          ++content->items_not_objects;
          continue;  // reported when the file turns out to be a List
        }
        SM_JSON_TRY(ForEachField(item_value, [&](std::string_view k, value& iv) {
          return ReadSecretField(k, iv, &secret);
        }));
        content->items.push_back(std::move(secret));
      }
    } else if (key == "kind" || key == "type" || key == "metadata" || key == "data" ||
               key == "stringData" || key == "apiVersion") {
      SM_JSON_TRY(ReadSecretField(key, v, &content->top));
    } else if (key == "Certificates") {  // Traefik v1
      content->acme_seen = true;
      SM_JSON_TRY(ReadAcmeCertificates(v, "", content));
    } else {
      const std::string resolver(key);
      SM_JSON_TRY(ForEachField(v, [&](std::string_view k, value& r) -> error_code {
        if (k == "Account") content->acme_seen = true;
        if (k != "Certificates") return simdjson::SUCCESS;  // Account: keys, never read
        content->acme_seen = true;
        return ReadAcmeCertificates(r, resolver, content);
      }));
    }
  }
  return simdjson::SUCCESS;
}

#undef SM_JSON_TRY_IMPL
#undef SM_JSON_TRY
#undef SM_JSON_CONCAT
#undef SM_JSON_CONCAT_INNER

// Reads the certificates of one store entry, `bytes` (PEM, DER or PKCS#7), as from `path` at
// `line` under `location`. Returns how many; a diagnostic when none.
// Where a store entry's certificates are kept, for what renews them (certificates.h).
struct EntryStore {
  Store store = Store::kFile;
  std::string name;
  std::string group;
  // The entry's private key: base64 of PEM (`key_base64`) or PEM; empty when the entry has none.
  absl::string_view key;
  bool key_base64 = true;
  absl::string_view key_what;  // "tls.key", "key"
};

// The SHA-256 of the public key of the entry's private key into the first leaf of `certs`;
// counted in `inventory` and reported at `label` when it cannot be read.
void PairEntryKey(const EntryStore& entry, const std::string& label,
                  std::vector<Certificate>* certs, CertificateInventory* inventory,
                  Diagnostics* diags) {
  if (entry.key.empty()) return;
  auto leaf =
      std::find_if(certs->begin(), certs->end(), [](const Certificate& c) { return !c.is_ca; });
  if (leaf == certs->end()) return;
  // The key is read where it is written when it is PEM; decoded from base64 into `pem`, which is
  // wiped once its public key is taken.
  std::string pem;
  absl::string_view key_pem = entry.key;
  if (entry.key_base64) {
    if (!absl::Base64Unescape(entry.key, &pem)) {
      OPENSSL_cleanse(pem.data(), pem.size());
      ++inventory->keys_unreadable;
      diags->Report(0, absl::StrCat(label, ": ", entry.key_what,
                                    " is not base64; the certificate's key is not compared"));
      return;
    }
    key_pem = pem;
  }
  RecordKey(FirstPrivateKeySpkiSha256(key_pem), absl::StrCat(label, ": ", entry.key_what),
            absl::StrCat(label, " ", entry.key_what), &*leaf, inventory, diags);
  OPENSSL_cleanse(pem.data(), pem.size());
}

size_t AddEntryCertificates(absl::string_view bytes, const std::string& path, uint64_t line,
                            const std::string& location, const EntryStore& store,
                            absl::string_view what, CertificateInventory* inventory,
                            Diagnostics* diags) {
  const std::string label = absl::StrCat(path, ": ", QuoteForMessage(location, 120));
  if (bytes.empty()) {
    diags->Report(0, absl::StrCat(label, ": ", what, " is empty"));
    return 0;
  }
  CertificateInventory entry;
  const uint64_t problems = diags->count();
  const size_t found = ParseCertificateData(bytes, label, &entry, diags);
  if (found == 0) {
    if (!entry.skipped.empty()) {  // "label (PRIVATE KEY)": block labels only, never contents
      diags->Report(0, absl::StrCat(entry.skipped.front(), ": ", what, " holds no certificate"));
    } else if (diags->count() == problems) {
      diags->Report(0, absl::StrCat(label, ": ", what, " holds no certificate"));
    }
    return 0;
  }
  PairEntryKey(store, label, &entry.certificates, inventory, diags);
  for (Certificate& cert : entry.certificates) {
    cert.path = path;
    cert.line = line;
    cert.location = location;
    cert.store = store.store;
    cert.store_name = store.name;
    cert.store_group = store.group;
    cert.store_path = path;
    inventory->certificates.push_back(std::move(cert));
  }
  inventory->keys_encrypted += entry.keys_encrypted;
  inventory->keys_unreadable += entry.keys_unreadable;
  return found;
}

// One store entry's certificates to parse (or, with `message` set, a problem found before), and
// what parsing them gave.
struct EntryJob {
  // The certificates as the store writes them: base64 (`base64`) or PEM, a view of the store
  // (which outlives the job), decoded only while the job runs.
  absl::string_view encoded;
  bool base64 = true;
  uint64_t line = 0;
  std::string location;
  EntryStore store;
  absl::string_view what;
  std::string message;
  CertificateInventory parsed;
  Diagnostics diags;
  size_t found = 0;
};

// Parses the certificates of `jobs` on every core, then appends them and their messages to
// `inventory` and `diags` in the order of `jobs`, as one thread would. Returns how many.
size_t RunEntryJobs(const std::string& path, std::vector<EntryJob>* jobs,
                    CertificateInventory* inventory, Diagnostics* diags) {
  ParallelFor(jobs->size(), [&](size_t i) {
    EntryJob& job = (*jobs)[i];
    if (!job.message.empty()) return;
    // Decoded here, on the job's core, and freed as soon as its certificates are read: the
    // certificates keep what they need, never these bytes.
    std::string decoded;
    if (job.base64 && !absl::Base64Unescape(job.encoded, &decoded)) {
      job.message = absl::StrCat(path, ": ", QuoteForMessage(job.location, 120), ": ", job.what,
                                 " is not base64");
      return;
    }
    job.found =
        AddEntryCertificates(job.base64 ? absl::string_view(decoded) : job.encoded, path, job.line,
                             job.location, job.store, job.what, &job.parsed, &job.diags);
  });
  size_t certificates = inventory->certificates.size();
  for (const EntryJob& job : *jobs) certificates += job.parsed.certificates.size();
  inventory->certificates.reserve(certificates);
  size_t found = 0;
  for (EntryJob& job : *jobs) {
    if (!job.message.empty()) {
      diags->Report(0, job.message);
      continue;
    }
    diags->Merge(job.diags);
    found += job.found;
    AppendInventory(std::move(job.parsed), inventory);
  }
  return found;
}

// Reads the certificates of a parsed store file (see ParseStoreFile).
size_t AddStoreCertificates(const StoreContent& store, const std::string& path,
                            CertificateInventory* inventory, Diagnostics* diags) {
  size_t found = 0;
  const uint64_t problems = diags->count();
  // Each entry's certificates are parsed on every core once all are known (a List of 250,000
  // Secrets is one file); a message found on the way takes its place among them.
  std::vector<EntryJob> jobs;
  auto report = [&jobs](std::string message) { jobs.emplace_back().message = std::move(message); };
  auto add_job = [&jobs](absl::string_view encoded, bool base64, uint64_t line,
                         std::string location, const EntryStore& entry_store,
                         absl::string_view what) {
    EntryJob& job = jobs.emplace_back();
    job.encoded = encoded;
    job.base64 = base64;
    job.line = line;
    job.location = std::move(location);
    job.store = entry_store;
    job.what = what;
  };
  uint64_t without = 0;  // Secrets (or entries) holding no certificate, and not meant to
  const bool list = store.top.kind == "List" || store.top.kind == "SecretList";
  const bool secrets = list || store.top.kind == "Secret";
  // Outlives the jobs, whose keys view its Secret.
  std::vector<SecretEntry> single;
  if (secrets) {
    if (!list) {
      single.push_back(store.top);
    } else if (store.items_not_objects > 0) {
      diags->Report(0, absl::StrCat(path, ": ", store.items_not_objects,
                                    " items that are not objects; not read"));
    }
    jobs.reserve(list ? store.items.size() : 1);
    for (const SecretEntry& secret : list ? store.items : single) {
      // `kubectl get all -o json`: a Deployment or ConfigMap is no Secret and holds no tls.crt.
      if (!secret.kind.empty() && secret.kind != "Secret") continue;
      std::string location = secret.name_space.empty()
                                 ? absl::StrCat("secret/", secret.name)
                                 : absl::StrCat("secret/", secret.name_space, "/", secret.name);
      const bool tls = secret.type == "kubernetes.io/tls";
      if (!secret.has_crt) {
        if (tls) {
          report(absl::StrCat(path, ": ", QuoteForMessage(location, 120),
                              ": TLS secret without tls.crt"));
        } else {
          ++without;
        }
        continue;
      }
      if (secret.crt_not_string) {
        report(
            absl::StrCat(path, ": ", QuoteForMessage(location, 120), ": tls.crt is not a string"));
        continue;
      }
      // tls.crt is decoded (when it is base64) in its job: a bad one is reported there, in its
      // place among the others.
      const EntryStore entry_store{Store::kKubernetes,
                                   std::string(secret.certificate_name),
                                   std::string(secret.name_space),
                                   secret.key,
                                   !secret.key_plain,
                                   "tls.key"};
      add_job(secret.crt, !secret.crt_plain, secret.line, std::move(location), entry_store,
              "tls.crt");
    }
    inventory->secrets_without_certificate += without;
  } else if (store.acme_seen) {
    for (const AcmeEntry& entry : store.acme) {
      const std::string location = entry.resolver.empty()
                                       ? absl::StrCat("traefik/", entry.main)
                                       : absl::StrCat("traefik/", entry.resolver, "/", entry.main);
      const std::string label = absl::StrCat(path, ": ", QuoteForMessage(location, 120));
      if (!entry.has_certificate) {
        report(absl::StrCat(label, ": entry without a certificate"));
        continue;
      }
      if (entry.certificate_not_string) {
        report(absl::StrCat(label, ": certificate is not a string"));
        continue;
      }
      const EntryStore entry_store{Store::kTraefik, entry.main, entry.resolver,
                                   entry.key,       true,       "key"};
      add_job(entry.certificate, /*base64=*/true, entry.line, location, entry_store, "certificate");
    }
  } else {
    diags->Report(0, absl::StrCat(path, ": not a certificate (", store.syntax,
                                  ", but neither Kubernetes Secrets nor a Traefik acme.json)"));
    ++inventory->not_certificates;
    return 0;
  }
  found = RunEntryJobs(path, &jobs, inventory, diags);
  if (found > 0) return found;
  if (diags->count() > problems) {
    ++inventory->not_certificates;
  } else {
    // Only Secrets without certificates, or none at all (an empty List, resolvers with null
    // Certificates): nothing to check, and no problem.
    inventory->skipped.push_back(
        without > 0 ? absl::StrCat(path, " (", without, without == 1 ? " secret" : " secrets",
                                   " without a certificate)")
        : secrets   ? absl::StrCat(path, " (no Secrets)")
                    : absl::StrCat(path, " (acme.json without certificates)"));
  }
  return 0;
}

// --- Kubernetes Secrets as YAML (`kubectl get secrets -A -o yaml`): the same fields as JSON.

// The value of `key` in the map `map`; false when `map` is not a map or has no such key. (Read by
// iterating: yaml-cpp's operator[] on a missing key gives a node whose every use throws.)
bool Field(const YAML::Node& map, absl::string_view key, YAML::Node* out) {
  if (!map.IsMap()) return false;
  for (const auto& entry : map) {
    if (entry.first.IsScalar() && entry.first.Scalar() == key) {
      *out = entry.second;
      return true;
    }
  }
  return false;
}

// The scalar value of `key` in `map` into `out`, a view of the scalar that lives as long as the
// document; false (and `out` empty) when there is none or it is a map, a sequence or null.
bool StringField(const YAML::Node& map, absl::string_view key, absl::string_view* out) {
  *out = {};
  YAML::Node value;
  if (!Field(map, key, &value) || !value.IsScalar()) return false;
  *out = value.Scalar();
  return true;
}

// Reads one Secret (or other object of a List) at `node` into `secret`.
void ReadYamlSecret(const YAML::Node& node, SecretEntry* secret) {
  secret->line = static_cast<uint64_t>(node.Mark().line) + 1;
  StringField(node, "kind", &secret->kind);
  StringField(node, "type", &secret->type);
  YAML::Node metadata;
  if (Field(node, "metadata", &metadata)) {
    StringField(metadata, "name", &secret->name);
    StringField(metadata, "namespace", &secret->name_space);
    YAML::Node annotations;
    if (Field(metadata, "annotations", &annotations)) {
      StringField(annotations, kCertManagerName, &secret->certificate_name);
    }
  }
  // The API server folds stringData into data; when both are written, data is what it keeps.
  for (const bool plain : {false, true}) {
    YAML::Node values;
    if (!Field(node, plain ? "stringData" : "data", &values)) continue;
    YAML::Node crt;
    if (!secret->has_crt && Field(values, "tls.crt", &crt)) {
      secret->has_crt = true;
      secret->crt_plain = plain;
      secret->crt_not_string = !StringField(values, "tls.crt", &secret->crt) && !crt.IsNull();
    }
    if (secret->key.empty() && StringField(values, "tls.key", &secret->key)) {
      secret->key_plain = plain;
    }
  }
}

// "path:LINE: invalid YAML: reason" ("path: ..." when yaml-cpp gives no position).
std::string YamlError(const std::string& path, const YAML::Exception& e) {
  return e.mark.is_null() ? absl::StrCat(path, ": invalid YAML: ", e.msg)
                          : absl::StrCat(path, ":", e.mark.line + 1, ": invalid YAML: ", e.msg);
}

// Parses `content` as YAML Secrets into `store`: one document or several (`---`), each a Secret,
// a List or a SecretList. False, with a diagnostic, at the first syntax error.
bool ReadYamlStore(absl::string_view content, const std::string& path, StoreContent* store,
                   Diagnostics* diags) {
  store->syntax = "YAML";
  try {
    store->yaml_documents = YAML::LoadAll(std::string(content));
    for (const YAML::Node& document : store->yaml_documents) {
      absl::string_view kind;
      StringField(document, "kind", &kind);  // a comment-only or scalar document has none
      if (kind == "List" || kind == "SecretList") {
        store->top.kind = kind;
        YAML::Node items;
        // `items: null`, `items: []`: no Secrets.
        if (!Field(document, "items", &items) || !items.IsSequence()) continue;
        for (const YAML::Node& item : items) {
          if (!item.IsMap()) {
            ++store->items_not_objects;
            continue;  // counted, and said by AddStoreCertificates
          }
          ReadYamlSecret(item, &store->items.emplace_back());
        }
      } else if (kind == "Secret") {
        // Several Secret documents are read as the items of a List.
        if (store->top.kind.empty()) store->top.kind = "List";
        ReadYamlSecret(document, &store->items.emplace_back());
      }
    }
  } catch (const YAML::Exception& e) {
    diags->Report(0, YamlError(path, e));
    return false;
  }
  return true;
}

}  // namespace

bool LooksLikeJsonStore(absl::string_view content) {
  if (absl::StartsWith(content, "\xEF\xBB\xBF")) content.remove_prefix(3);
  for (const char c : content) {
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') continue;
    return c == '{';
  }
  return false;
}

bool LooksLikeYamlStore(absl::string_view content) {
  if (absl::StartsWith(content, "\xEF\xBB\xBF")) content.remove_prefix(3);
  for (absl::string_view line : absl::StrSplit(content, '\n')) {
    line = absl::StripTrailingAsciiWhitespace(line);
    if (line.empty() || line[0] == '#' || line == "---") continue;
    return absl::StartsWith(line, "apiVersion:") || absl::StartsWith(line, "kind:") ||
           absl::StartsWith(line, "items:");
  }
  return false;
}

size_t ParseYamlStoreFile(absl::string_view content, const std::string& path,
                          CertificateInventory* inventory, Diagnostics* diags) {
  if (absl::StartsWith(content, "\xEF\xBB\xBF")) content.remove_prefix(3);
  StoreContent store;
  if (!ReadYamlStore(content, path, &store, diags)) {
    ++inventory->not_certificates;
    return 0;
  }
  return AddStoreCertificates(store, path, inventory, diags);
}

// What ReadFileToString leaves past a file's end is enough for simdjson to parse it in place.
static_assert(kReadFilePadding >= simdjson::SIMDJSON_PADDING);

size_t ParseStoreFile(absl::string_view content, const std::string& path,
                      CertificateInventory* inventory, Diagnostics* diags, size_t padding) {
  if (absl::StartsWith(content, "\xEF\xBB\xBF")) content.remove_prefix(3);
  // simdjson reads up to SIMDJSON_PADDING bytes past the end: the caller's, or a copy's. The
  // Secrets' views point into it (and into the parser's strings) until the certificates are read.
  simdjson::padded_string copy;
  simdjson::padded_string_view json;
  if (padding >= simdjson::SIMDJSON_PADDING) {
    json = simdjson::padded_string_view(content.data(), content.size(), content.size() + padding);
  } else {
    copy = simdjson::padded_string(content.data(), content.size());
    json = copy;
  }
  LineCounter lines(absl::string_view(json.data(), json.size()));
  simdjson::ondemand::parser parser;
  simdjson::ondemand::document doc;
  StoreContent store;
  error_code error = parser.iterate(json).get(doc);
  if (error) {
    // Found before any token is read (empty, bad UTF-8, an unclosed string): no position to give.
    diags->Report(0, absl::StrCat(path, ": invalid JSON: ", simdjson::error_message(error)));
    ++inventory->not_certificates;
    return 0;
  }
  error = ReadStore(doc, &store);
  // After the object, nothing but whitespace: the document has no current location left.
  const char* at = nullptr;
  if (!error && !doc.current_location().get(at)) error = simdjson::TRAILING_CONTENT;
  if (error) {
    if (doc.current_location().get(at)) at = json.data() + json.size();
    diags->Report(0, absl::StrCat(path, ":", lines.LineOf(at),
                                  ": invalid JSON: ", simdjson::error_message(error)));
    ++inventory->not_certificates;
    return 0;
  }
  store.top.line = 1;  // a single Secret is the whole file
  for (SecretEntry& secret : store.items) secret.line = lines.LineOf(secret.start);
  for (AcmeEntry& entry : store.acme) entry.line = lines.LineOf(entry.start);
  return AddStoreCertificates(store, path, inventory, diags);
}

}  // namespace serialmatch::inventory
