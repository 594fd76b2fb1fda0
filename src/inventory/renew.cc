#include "src/inventory/renew.h"

#include <sys/stat.h>

#include <algorithm>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "src/base/file_util.h"
#include "src/base/parallel.h"
#include "src/inventory/keys.h"

namespace serialmatch::inventory {
namespace {

bool Exists(const std::string& path) {
  struct stat st;
  return stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

// A path cut into its directory (with the trailing '/') and its last three components: the
// file, its directory's name, and that directory's parent's name (empty when missing).
struct PathParts {
  std::string dir;
  std::string file;
  std::string parent;       // the name of the directory holding the file
  std::string grandparent;  // the name of the directory holding that
  std::string great;        // and the one above
};

PathParts Split(absl::string_view path) {
  PathParts parts;
  const size_t slash = path.rfind('/');
  parts.dir = slash == absl::string_view::npos ? "" : std::string(path.substr(0, slash + 1));
  parts.file = std::string(slash == absl::string_view::npos ? path : path.substr(slash + 1));
  std::vector<std::string> dirs = absl::StrSplit(parts.dir, '/', absl::SkipEmpty());
  if (!dirs.empty()) parts.parent = dirs.back();
  if (dirs.size() >= 2) parts.grandparent = dirs[dirs.size() - 2];
  if (dirs.size() >= 3) parts.great = dirs[dirs.size() - 3];
  return parts;
}

// For certbot's archive: "cert3.pem" with `stems` {"cert", ...} gives "3"; empty when it is not
// one of them.
std::string ArchiveNumber(absl::string_view file) {
  for (absl::string_view stem : {"fullchain", "cert", "chain"}) {
    if (!absl::StartsWith(file, stem) || !absl::EndsWith(file, ".pem")) continue;
    const absl::string_view digits = file.substr(stem.size(), file.size() - stem.size() - 4);
    if (!digits.empty() && std::all_of(digits.begin(), digits.end(), absl::ascii_isdigit)) {
      return std::string(digits);
    }
  }
  return "";
}

// Fills the store fields of `cert` from one place `path`; false when `path` is in no known layout.
bool FromPath(absl::string_view path, Certificate* cert) {
  const PathParts p = Split(path);
  if (p.parent.empty()) return false;
  if (p.grandparent == "live" &&
      (p.file == "cert.pem" || p.file == "fullchain.pem" || p.file == "chain.pem")) {
    cert->store = Store::kCertbot;
  } else if (p.grandparent == "archive" && !ArchiveNumber(p.file).empty()) {
    cert->store = Store::kCertbot;
  }
  if (cert->store == Store::kCertbot) {
    cert->store_name = p.parent;
    cert->store_path = p.dir;
    return true;
  }
  const bool ecc = absl::EndsWith(p.parent, "_ecc");
  const std::string domain = ecc ? p.parent.substr(0, p.parent.size() - 4) : p.parent;
  if (!domain.empty() &&
      (p.file == domain + ".cer" ||
       ((p.file == "fullchain.cer" || p.file == "ca.cer") && Exists(p.dir + domain + ".cer")))) {
    cert->store = Store::kAcmeSh;
    cert->store_name = domain;
    cert->store_group = ecc ? "ecc" : "";
    cert->store_path = p.dir;
    return true;
  }
  if (p.great == "certificates" && p.file == p.parent + ".crt") {
    cert->store = Store::kCaddy;
    cert->store_name = p.parent;
    cert->store_group = p.grandparent;
    cert->store_path = p.dir;
    return true;
  }
  return false;
}

// Whether `word` can be given to a command as an argument without doubt: no control bytes (a
// newline would end the plan's comment or command line), not an option ("-rf"), not empty.
bool SafeArgument(absl::string_view word) {
  if (word.empty() || word[0] == '-') return false;
  for (const char c : word) {
    const unsigned char u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f) return false;
  }
  return true;
}

Renewal Unsafe(absl::string_view what) {
  return {"", absl::StrCat("the ", what,
                           " cannot be written safely as a command argument (empty, an "
                           "option, or control characters): renew it by hand")};
}

}  // namespace

absl::string_view StoreKindName(Store store) {
  switch (store) {
    case Store::kFile:
      return "file";
    case Store::kCertbot:
      return "certbot";
    case Store::kAcmeSh:
      return "acme.sh";
    case Store::kCaddy:
      return "caddy";
    case Store::kKubernetes:
      return "kubernetes";
    case Store::kTraefik:
      return "traefik";
  }
  return "file";
}

std::string ShellQuote(absl::string_view word) {
  const bool plain = !word.empty() && std::all_of(word.begin(), word.end(), [](char c) {
    return absl::ascii_isalnum(static_cast<unsigned char>(c)) ||
           absl::string_view("_./:=@%+,-").find(c) != absl::string_view::npos;
  });
  if (plain) return std::string(word);
  std::string out = "'";
  for (const char c : word) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out.push_back(c);
    }
  }
  out.push_back('\'');
  return out;
}

void DescribeLayout(Certificate* cert) {
  if (cert->store != Store::kFile || !cert->endpoint.empty()) return;
  if (FromPath(cert->path, cert)) return;
  for (const std::string& at : cert->also_at) {
    // "path:line": the line is the last ':'-separated part.
    const size_t colon = at.rfind(':');
    if (FromPath(colon == std::string::npos ? at : absl::string_view(at).substr(0, colon), cert)) {
      return;
    }
  }
}

std::string KeyFileOf(const Certificate& cert) {
  const PathParts p = Split(cert.path);
  switch (cert.store) {
    case Store::kCertbot:
      if (p.grandparent == "live") return p.dir + "privkey.pem";
      return absl::StrCat(p.dir, "privkey", ArchiveNumber(p.file), ".pem");
    case Store::kAcmeSh:
    case Store::kCaddy:
      return absl::StrCat(cert.store_path, cert.store_name, ".key");
    case Store::kFile:
      // A Secret mounted into a pod (or copied out of one): tls.crt beside tls.key.
      if (p.file == "tls.crt") return p.dir + "tls.key";
      return "";
    default:
      return "";
  }
}

void PairKeys(CertificateInventory* inventory, Diagnostics* diags) {
  // The key files to read: a leaf (a CA's key is not kept here) without a key yet whose layout
  // keeps one beside it. A missing key file says nothing.
  struct Pending {
    Certificate* cert;
    std::string key_file;
    absl::StatusOr<std::string> spki = absl::UnknownError("not read");
  };
  std::vector<Pending> pending;
  for (Certificate& cert : inventory->certificates) {
    if (cert.is_ca || !cert.key_spki_sha256.empty()) continue;
    std::string key_file = KeyFileOf(cert);
    if (key_file.empty() || !Exists(key_file)) continue;
    pending.push_back({&cert, std::move(key_file)});
  }
  // OpenSSL's key decoders cost far more than a certificate's whole description: every core.
  ParallelFor(pending.size(), [&](size_t i) {
    absl::StatusOr<std::string> content = ReadFileToString(pending[i].key_file);
    pending[i].spki = content.ok() ? FirstPrivateKeySpkiSha256(*content) : content.status();
  });
  // Results and messages in inventory order, whatever thread read them.
  for (Pending& p : pending) {
    if (!p.spki.ok() && absl::StartsWith(p.spki.status().message(), p.key_file)) {
      // ReadFileToString's message, which names the file already.
      ++inventory->keys_unreadable;
      diags->Report(0, std::string(p.spki.status().message()));
      continue;
    }
    const std::string where = p.key_file;
    RecordKey(std::move(p.spki), where, std::move(p.key_file), p.cert, inventory, diags);
  }
}

void RecordKey(absl::StatusOr<std::string> spki, absl::string_view where, std::string key_at,
               Certificate* cert, CertificateInventory* inventory, Diagnostics* diags) {
  if (spki.ok()) {
    cert->key_spki_sha256 = *std::move(spki);
    cert->key_at = std::move(key_at);
    return;
  }
  ++(IsEncryptedKeyError(spki.status()) ? inventory->keys_encrypted : inventory->keys_unreadable);
  diags->Report(0, absl::StrCat(where, ": ", spki.status().message(),
                                "; the certificate's key is not compared"));
}

Renewal RenewalOf(const Certificate& cert) {
  if (!cert.endpoint.empty()) {
    return {"", absl::StrCat("served by ", cert.endpoint,
                             ": renew it where that server's certificate is kept")};
  }
  const std::string& place = cert.location.empty() ? cert.path : cert.location;
  if (cert.is_ca) {
    return {"", absl::StrCat("a CA certificate (", place,
                             "): its issuer must re-issue it; then replace it where it is kept")};
  }
  switch (cert.store) {
    case Store::kCertbot:
      if (!SafeArgument(cert.store_name)) return Unsafe("certbot lineage name");
      return {absl::StrCat("certbot renew --cert-name ", ShellQuote(cert.store_name),
                           " --force-renewal"),
              absl::StrCat("certbot lineage ", cert.store_name, " (", cert.store_path, ")")};
    case Store::kAcmeSh:
      if (!SafeArgument(cert.store_name)) return Unsafe("acme.sh domain");
      return {absl::StrCat("acme.sh --renew -d ", ShellQuote(cert.store_name), " --force",
                           cert.store_group == "ecc" ? " --ecc" : ""),
              absl::StrCat("acme.sh domain ", cert.store_name,
                           cert.store_group == "ecc" ? " (ECC)" : "", " (", cert.store_path, ")")};
    case Store::kCaddy: {
      std::string dir = cert.store_path;
      while (absl::EndsWith(dir, "/")) dir.pop_back();
      if (!SafeArgument(dir)) return Unsafe("Caddy certificate directory");
      return {absl::StrCat("mv -- ", ShellQuote(dir), " ", ShellQuote(dir + ".replaced"),
                           " && systemctl restart caddy"),
              absl::StrCat("Caddy (issuer directory ", cert.store_group,
                           ") obtains a certificate missing from its storage when it starts: "
                           "the directory is moved aside and Caddy restarted")};
    }
    case Store::kTraefik: {
      if (!SafeArgument(cert.store_name) || !SafeArgument(cert.store_path) ||
          (!cert.store_group.empty() && !SafeArgument(cert.store_group))) {
        return Unsafe("acme.json entry");
      }
      const std::string file = ShellQuote(cert.store_path);
      const std::string fresh = ShellQuote(cert.store_path + ".new");
      const std::string filter =
          cert.store_group.empty()
              ? absl::StrCat("jq --arg main ", ShellQuote(cert.store_name),
                             " '.Certificates |= map(select(.Domain.Main != $main))'")
              : absl::StrCat("jq --arg r ", ShellQuote(cert.store_group), " --arg main ",
                             ShellQuote(cert.store_name),
                             " '.[$r].Certificates |= map(select(.domain.main != $main))'");
      return {absl::StrCat(filter, " ", file, " > ", fresh, " && chmod 600 ", fresh, " && mv -- ",
                           fresh, " ", file),
              "Traefik obtains a certificate missing from acme.json: the entry is removed, "
              "then Traefik must be restarted"};
    }
    case Store::kKubernetes: {
      if (cert.store_name.empty()) {
        return {"", absl::StrCat(place,
                                 " is not managed by cert-manager (no "
                                 "cert-manager.io/certificate-name annotation): re-issue the "
                                 "certificate and replace the Secret")};
      }
      if (!SafeArgument(cert.store_name) ||
          (!cert.store_group.empty() && !SafeArgument(cert.store_group))) {
        return Unsafe("cert-manager Certificate name");
      }
      return {cert.store_group.empty()
                  ? absl::StrCat("cmctl renew ", ShellQuote(cert.store_name))
                  : absl::StrCat("cmctl renew -n ", ShellQuote(cert.store_group), " ",
                                 ShellQuote(cert.store_name)),
              absl::StrCat("cert-manager Certificate ", cert.store_name, " (", place, ")")};
    }
    case Store::kFile:
      break;
  }
  return {"", absl::StrCat("no known store for ", place, ": replace the certificate by hand")};
}

}  // namespace serialmatch::inventory
