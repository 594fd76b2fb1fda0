#include "src/match/crl_check.h"

#include <algorithm>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "src/base/diagnostics.h"
#include "src/base/time.h"
#include "src/match/matcher.h"

namespace serialmatch::match {
namespace {

// Whether `cert` can be the issuer of `crl`: a CA of the CRL's issuer name, and of its key when
// both name one.
bool CouldHaveSigned(const inventory::Certificate& cert, const dump::CrlDocument& crl) {
  if (!cert.is_ca || cert.public_key_der.empty()) return false;
  if (!crl.authority_key_id.empty() && !cert.subject_key_id.empty() &&
      !absl::EqualsIgnoreCase(crl.authority_key_id, cert.subject_key_id)) {
    return false;
  }
  return SameDistinguishedName(crl.issuer, cert.subject);
}

}  // namespace

absl::string_view CrlSignatureName(CrlSignature signature) {
  switch (signature) {
    case CrlSignature::kValid:
      return "valid";
    case CrlSignature::kInvalid:
      return "invalid";
    case CrlSignature::kUnchecked:
      return "unchecked";
  }
  return "?";
}

std::string CrlVerdict::Scope() const {
  return absl::StrCat(issuer, "\n", authority_key_id, "\n", absl::StrJoin(distribution_points, " "),
                      delta ? "\ndelta" : "");
}

std::vector<const inventory::Certificate*> CrlIssuerCandidates(
    const inventory::CertificateInventory* certificates,
    const inventory::CertificateInventory* crl_issuers) {
  std::vector<const inventory::Certificate*> out;
  absl::flat_hash_set<absl::string_view> seen;  // sha256 of those in `out`
  for (const inventory::CertificateInventory* inventory : {certificates, crl_issuers}) {
    if (inventory == nullptr) continue;
    for (const inventory::Certificate& cert : inventory->certificates) {
      // A leaf issues no CRL; a CA certificate read twice (chain.pem and fullchain.pem) is tried
      // once.
      if (!cert.is_ca || cert.public_key_der.empty()) continue;
      if (seen.insert(cert.sha256).second) out.push_back(&cert);
    }
  }
  return out;
}

CrlVerdict CheckCrl(const dump::CrlDocument& crl, absl::string_view path,
                    absl::Span<const inventory::Certificate* const> issuers, absl::Time now) {
  CrlVerdict v;
  v.path = std::string(path);
  v.pem_line = crl.pem_line;
  v.issuer = crl.issuer;
  v.authority_key_id = crl.authority_key_id;
  v.crl_number = crl.crl_number;
  v.this_update = crl.this_update;
  v.next_update = crl.next_update;
  v.entries = crl.entries;
  v.delta = crl.delta_crl;
  v.distribution_points = crl.distribution_point_uris;
  v.stale = crl.next_update.has_value() && now > *crl.next_update;
  for (const std::string& oid : crl.unrecognized_critical_extensions) {
    v.problems.push_back(
        absl::StrCat("unrecognised critical extension ", oid, ": RFC 5280 says not to rely on it"));
  }
  if (crl.signature_algorithm != crl.tbs_signature_algorithm) {
    v.problems.push_back("its two signature algorithm fields disagree");
  }

  std::vector<const inventory::Certificate*> candidates;
  for (const inventory::Certificate* cert : issuers) {
    if (CouldHaveSigned(*cert, crl)) candidates.push_back(cert);
  }
  if (candidates.empty()) {
    v.signature = CrlSignature::kUnchecked;
    v.signature_note =
        "no certificate of its issuer at hand (give it with --crl-issuer, or in a --certs chain)";
    return v;
  }
  std::string why_unchecked;
  for (const inventory::Certificate* cert : candidates) {
    const absl::StatusOr<bool> verified = inventory::VerifySignature(
        crl.tbs_cert_list, crl.signature_algorithm, crl.signature, cert->public_key_der);
    if (!verified.ok()) {
      why_unchecked = std::string(verified.status().message());
      continue;
    }
    if (*verified) {
      v.signature = CrlSignature::kValid;
      v.signature_note = absl::StrCat("verified with ", cert->path, ":", cert->line);
      return v;
    }
  }
  if (!why_unchecked.empty()) {
    v.signature = CrlSignature::kUnchecked;
    v.signature_note = why_unchecked;
    return v;
  }
  v.signature = CrlSignature::kInvalid;
  v.signature_note = absl::StrCat(
      "not signed by the key of ",
      candidates.size() == 1 ? "the issuer certificate " : "any of the issuer certificates ",
      absl::StrJoin(candidates, ", ", [](std::string* out, const inventory::Certificate* c) {
        absl::StrAppend(out, c->path, ":", c->line);
      }));
  return v;
}

std::vector<size_t> Untrusted(const std::vector<CrlVerdict>& verdicts) {
  std::vector<size_t> out;
  for (size_t i = 0; i < verdicts.size(); ++i) {
    const CrlVerdict& bad = verdicts[i];
    if (!bad.untrustworthy()) continue;
    const bool superseded =
        std::any_of(verdicts.begin(), verdicts.end(), [&](const CrlVerdict& good) {
          return good.trusted() && good.Scope() == bad.Scope() &&
                 good.this_update >= bad.this_update;
        });
    if (!superseded) out.push_back(i);
  }
  return out;
}

std::string DescribeCrl(const CrlVerdict& v) {
  std::string out = absl::StrCat(v.delta ? "delta CRL of " : "CRL of ", v.issuer);
  if (!v.crl_number.empty()) absl::StrAppend(&out, ", number ", v.crl_number);
  absl::StrAppend(&out, ", thisUpdate ", FormatRfc3339(v.this_update));
  absl::StrAppend(&out, ", nextUpdate ",
                  v.next_update.has_value() ? FormatRfc3339(*v.next_update) : "none");
  absl::StrAppend(&out, ", ", GroupThousands(v.entries), v.entries == 1 ? " entry" : " entries",
                  ", signature ", CrlSignatureName(v.signature));
  if (v.signature != CrlSignature::kValid) absl::StrAppend(&out, " (", v.signature_note, ")");
  if (v.stale) absl::StrAppend(&out, "; stale: past its nextUpdate, used all the same");
  for (const std::string& problem : v.problems) absl::StrAppend(&out, "; ", problem);
  return out;
}

}  // namespace serialmatch::match
