#include "src/dump/crl_parser.h"

#include <openssl/evp.h>
#include <openssl/x509.h>

#include <chrono>
#include <cstdio>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "src/base/serial.h"
#include "src/base/test_util.h"
#include "src/base/der.h"
#include "src/dump/dump_source.h"
#include "src/dump/parser.h"
#include "src/dump/test_compress.h"
#include "src/inventory/certificates.h"
#include "src/inventory/test_certs.h"

namespace serialmatch::dump {
namespace {

using inventory::TestCa;
using inventory::TestCrlEntry;
using inventory::TestCrlSpec;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

// Hand-built (and deliberately broken) CRLs are made of der::Element.
std::string Enc(uint8_t tag, absl::string_view content) { return der::Element(tag, content); }
std::string Bytes(const char* s, size_t n) { return std::string(s, n); }
const std::string kOidCn = Bytes("\x55\x04\x03", 3);
const std::string kOidC = Bytes("\x55\x04\x06", 3);
const std::string kOidO = Bytes("\x55\x04\x0a", 3);
const std::string kAlgorithm = Bytes("\x30\x0a\x06\x08\x2a\x86\x48\xce\x3d\x04\x03\x02", 12);

std::string Atv(absl::string_view oid, uint8_t tag, absl::string_view value) {
  return Enc(0x30, Enc(0x06, oid) + Enc(tag, value));
}
std::string Rdn(const std::string& atv) { return Enc(0x31, atv); }
const std::string kIssuer =
    Enc(0x30, Rdn(Atv(kOidC, 0x13, "US")) + Rdn(Atv(kOidO, 0x0c, "Let's Encrypt")) +
                  Rdn(Atv(kOidCn, 0x13, "R3")));
std::string Utc(absl::string_view t) { return Enc(0x17, t); }
std::string Generalized(absl::string_view t) { return Enc(0x18, t); }
std::string Extension(absl::string_view oid, absl::string_view value, bool critical = false) {
  return Enc(0x30, Enc(0x06, oid) + (critical ? Bytes("\x01\x01\xff", 3) : "") + Enc(0x04, value));
}
std::string ReasonExt(int code) {
  return Extension(Bytes("\x55\x1d\x15", 3), Enc(0x0a, std::string(1, static_cast<char>(code))));
}
std::string Entry(absl::string_view serial, const std::string& time = Utc("240730120000Z"),
                  const std::string& extensions = "") {
  return Enc(0x30, Enc(0x02, serial) + time + (extensions.empty() ? "" : Enc(0x30, extensions)));
}
// A CertificateList with a dummy signature. `entries` empty: no revokedCertificates.
std::string Crl(const std::string& entries, const std::string& extensions = "", bool v2 = true,
                const std::string& name = kIssuer,
                const std::string& this_update = Utc("240730120000Z")) {
  std::string tbs =
      (v2 ? Bytes("\x02\x01\x01", 3) : "") + kAlgorithm + name + this_update + Utc("240806120000Z");
  if (!entries.empty()) tbs += Enc(0x30, entries);
  if (!extensions.empty()) tbs += Enc(0xa0, Enc(0x30, extensions));
  return Enc(0x30, Enc(0x30, tbs) + kAlgorithm + Enc(0x03, Bytes("\x00\xab\xcd", 3)));
}

// Test CRL entries and specs without designated initializers (GCC's -Wextra warns about the
// members they leave out).
TestCrlEntry E(std::string serial_hex, std::optional<int> reason = std::nullopt,
               std::optional<absl::Time> revoked_at = std::nullopt) {
  TestCrlEntry entry;
  entry.serial_hex = std::move(serial_hex);
  entry.reason = reason;
  if (revoked_at.has_value()) entry.revoked_at = *revoked_at;
  return entry;
}
TestCrlSpec Spec(std::vector<TestCrlEntry> entries) {
  TestCrlSpec spec;
  spec.entries = std::move(entries);
  return spec;
}

struct Seen {
  uint64_t line;
  std::string serial, revoked_at, reason, issuer, key_id;
  bool exact;
};
struct Parsed {
  absl::Status status;
  std::vector<Seen> records;
  std::vector<std::pair<uint64_t, std::string>> malformed;
};
Parsed Parse(absl::string_view text) {
  Parsed out;
  CrlParser parser;
  DumpRecord record;
  out.status = parser.ParseDocument(
      text, &record,
      [&](uint64_t line) {
        out.records.push_back({line, std::string(record.serial), std::string(record.revoked_at),
                               std::string(record.revocation_reason), std::string(record.issuer),
                               std::string(record.issuer_key_id), record.issuer_exact});
        EXPECT_TRUE(record.issued_at.empty());
        EXPECT_TRUE(record.not_after.empty());
      },
      [&](uint64_t line, absl::string_view reason) { out.malformed.emplace_back(line, reason); });
  return out;
}

std::string CaIssuer(const TestCa& ca) {
  absl::StatusOr<inventory::Certificate> cert = inventory::DescribeDerCertificate(ca.certificate());
  EXPECT_TRUE(cert.ok());
  return cert.ok() ? cert->issuer : "";
}

TEST(CrlParserTest, ReadsTheHeaderOfARealCrl) {
  TestCa ca("Test CRL CA");
  TestCrlSpec spec;
  spec.entries = {E("03E226", 1), E("0487")};
  spec.crl_number = "1234567890123456789012345678901234567890";  // more than 8 bytes
  spec.distribution_point = "http://r3.c.lencr.org/12.crl";
  const std::string der = ca.IssueCrl(spec);
  absl::StatusOr<std::vector<CrlDocument>> crls = ReadCrls(der);
  ASSERT_TRUE(crls.ok()) << crls.status();
  ASSERT_EQ(crls->size(), 1u);
  const CrlDocument& crl = (*crls)[0];
  EXPECT_EQ(crl.version, 2);
  EXPECT_EQ(crl.issuer, CaIssuer(ca));
  EXPECT_EQ(crl.issuer, "C=US, O=serialmatch tests, CN=Test CRL CA");
  EXPECT_EQ(crl.this_update, spec.this_update);
  EXPECT_EQ(crl.next_update, spec.next_update);
  EXPECT_EQ(crl.crl_number, spec.crl_number);
  EXPECT_EQ(crl.authority_key_id, ca.KeyIdHex());
  EXPECT_THAT(crl.distribution_point_uris, ElementsAre("http://r3.c.lencr.org/12.crl"));
  EXPECT_FALSE(crl.delta_crl);
  EXPECT_FALSE(crl.indirect_crl);
  EXPECT_TRUE(crl.unrecognized_critical_extensions.empty());
  EXPECT_EQ(crl.entries, 2u);
  EXPECT_EQ(crl.der, der);
  EXPECT_EQ(crl.signature_algorithm, crl.tbs_signature_algorithm);
  EXPECT_EQ(crl.pem_line, 0u);
}

// Verifies `crl`'s signature over tbsCertList with the public key of the DER certificate `cert`.
bool SignatureVerifies(const CrlDocument& crl, const std::string& cert) {
  const unsigned char* p = reinterpret_cast<const unsigned char*>(cert.data());
  X509* x509 = d2i_X509(nullptr, &p, static_cast<long>(cert.size()));
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  const bool ok =
      EVP_DigestVerifyInit(ctx, nullptr, EVP_sha256(), nullptr, X509_get0_pubkey(x509)) == 1 &&
      EVP_DigestVerify(ctx, reinterpret_cast<const unsigned char*>(crl.signature.data()),
                       crl.signature.size(),
                       reinterpret_cast<const unsigned char*>(crl.tbs_cert_list.data()),
                       crl.tbs_cert_list.size()) == 1;
  EVP_MD_CTX_free(ctx);
  X509_free(x509);
  return ok;
}

TEST(CrlParserTest, SpansAllowCheckingTheSignatureAndCatchAWrongKey) {
  TestCa ca("Same CN");
  TestCa other("Same CN");  // same name, another key
  const std::string good = ca.IssueCrl(Spec({E("01")}));
  const std::string forged = other.IssueCrl(Spec({E("01")}));
  absl::StatusOr<std::vector<CrlDocument>> a = ReadCrls(good);
  absl::StatusOr<std::vector<CrlDocument>> b = ReadCrls(forged);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ((*a)[0].issuer, (*b)[0].issuer);
  EXPECT_TRUE(SignatureVerifies((*a)[0], ca.certificate()));
  EXPECT_FALSE(SignatureVerifies((*b)[0], ca.certificate()));
  EXPECT_TRUE(SignatureVerifies((*b)[0], other.certificate()));
}

TEST(CrlParserTest, EveryEntryIsARecordWithTheCrlIssuer) {
  TestCa ca("Test CRL CA");
  const std::string der = ca.IssueCrl(
      Spec({E("03E226", 1), E("0487", std::nullopt, absl::FromUnixSeconds(1722344400))}));
  const Parsed parsed = Parse(der);
  ASSERT_TRUE(parsed.status.ok()) << parsed.status;
  EXPECT_TRUE(parsed.malformed.empty());
  ASSERT_EQ(parsed.records.size(), 2u);
  const Seen& first = parsed.records[0];
  EXPECT_EQ(first.line, 1u);
  EXPECT_EQ(first.serial, "03e226");
  EXPECT_EQ(first.revoked_at, "2024-07-30T12:00:00Z");
  EXPECT_EQ(first.reason, "keyCompromise");
  EXPECT_EQ(first.issuer, CaIssuer(ca));
  EXPECT_EQ(first.key_id, ca.KeyIdHex());
  EXPECT_TRUE(first.exact);
  EXPECT_EQ(parsed.records[1].line, 2u);
  EXPECT_EQ(parsed.records[1].serial, "0487");
  EXPECT_EQ(parsed.records[1].revoked_at, "2024-07-30T13:00:00Z");
  EXPECT_EQ(parsed.records[1].reason, "");
}

TEST(CrlParserTest, EveryReasonCodeHasItsRfc5280Name) {
  TestCa ca;
  TestCrlSpec spec;
  for (int code = 0; code <= 11; ++code) {
    spec.entries.push_back(E(absl::StrCat(10 + code), code));
  }
  const Parsed parsed = Parse(ca.IssueCrl(spec));
  ASSERT_TRUE(parsed.status.ok()) << parsed.status;
  std::vector<std::string> reasons;
  for (const Seen& s : parsed.records) reasons.push_back(s.reason);
  EXPECT_THAT(reasons,
              ElementsAre("unspecified", "keyCompromise", "cACompromise", "affiliationChanged",
                          "superseded", "cessationOfOperation", "certificateHold", "reason 7",
                          "removeFromCRL", "privilegeWithdrawn", "aACompromise", "reason 11"));
}

TEST(CrlParserTest, ZeroAndNegativeSerialsAreCanonical) {
  TestCa ca;
  const Parsed parsed = Parse(ca.IssueCrl(Spec({E("0"), E("-FF"), E("-1"), E("80"), E("-80")})));
  ASSERT_TRUE(parsed.status.ok()) << parsed.status;
  std::vector<std::string> serials;
  for (const Seen& s : parsed.records) serials.push_back(s.serial);
  EXPECT_THAT(serials, ElementsAre("00", "-ff", "-01", "80", "-80"));
  // Hand-built contents agree with SerialFromDerInteger, including redundant leading bytes.
  for (const std::string& content :
       {Bytes("\x00", 1), Bytes("\x00\x00\x01", 3), Bytes("\xff\x01", 2), Bytes("\x7f\xff", 2)}) {
    const Parsed one = Parse(Crl(Entry(content)));
    ASSERT_EQ(one.records.size(), 1u);
    EXPECT_EQ(one.records[0].serial, *SerialFromDerInteger(content));
  }
}

TEST(CrlParserTest, ReadsUtcTimeAndGeneralizedTime) {
  TestCa ca;
  // 2051: GeneralizedTime (RFC 5280 uses UTCTime through 2049).
  TestCrlSpec spec = Spec({E("01", std::nullopt, absl::FromUnixSeconds(2556144000))});
  spec.this_update = absl::FromUnixSeconds(2556144000);
  spec.next_update = std::nullopt;
  const Parsed real = Parse(ca.IssueCrl(spec));
  ASSERT_EQ(real.records.size(), 1u) << real.status;
  EXPECT_EQ(real.records[0].revoked_at, "2051-01-01T00:00:00Z");
  const std::string entries = Entry("\x01", Utc("500101000000Z")) +
                              Entry("\x02", Utc("491231235959Z")) +
                              Entry("\x03", Generalized("20240730120000.500Z")) +
                              Entry("\x04", Generalized("20240730120000Z"));
  const Parsed hand = Parse(Crl(entries));
  ASSERT_TRUE(hand.status.ok()) << hand.status;
  ASSERT_EQ(hand.records.size(), 4u);
  EXPECT_EQ(hand.records[0].revoked_at, "1950-01-01T00:00:00Z");
  EXPECT_EQ(hand.records[1].revoked_at, "2049-12-31T23:59:59Z");
  EXPECT_EQ(hand.records[2].revoked_at, "2024-07-30T12:00:00.5Z");
  EXPECT_EQ(hand.records[3].revoked_at, "2024-07-30T12:00:00Z");
  absl::StatusOr<std::vector<CrlDocument>> crls =
      ReadCrls(Crl(entries, "", true, kIssuer, Generalized("20240730120000.25Z")));
  ASSERT_TRUE(crls.ok()) << crls.status();
  EXPECT_EQ((*crls)[0].this_update, absl::FromUnixMillis(1722340800250));
}

TEST(CrlParserTest, BadTimesAndWrongTagsAreMalformedEntriesAndTheWalkGoesOn) {
  const std::string entries = Entry("\x01") + Entry("\x02", Utc("241330120000Z")) +
                              Enc(0x31, Enc(0x02, "\x03") + Utc("240730120000Z")) +
                              Enc(0x30, Enc(0x04, "\x04") + Utc("240730120000Z")) +
                              Entry("\x05", Enc(0x02, "\x01")) + Entry("", Utc("240730120000Z")) +
                              Entry("\x07", Utc("230229120000Z")) + Entry("\x08");
  const Parsed parsed = Parse(Crl(entries));
  ASSERT_TRUE(parsed.status.ok()) << parsed.status;
  ASSERT_EQ(parsed.records.size(), 2u);
  EXPECT_EQ(parsed.records[0].line, 1u);
  EXPECT_EQ(parsed.records[1].line, 8u);
  ASSERT_EQ(parsed.malformed.size(), 6u);
  for (size_t i = 0; i < parsed.malformed.size(); ++i) {
    EXPECT_EQ(parsed.malformed[i].first, i + 2);
    EXPECT_THAT(parsed.malformed[i].second, HasSubstr("CRL entry at byte "));
  }
  EXPECT_THAT(parsed.malformed[0].second, HasSubstr("month out of range"));
  EXPECT_THAT(parsed.malformed[1].second, HasSubstr("expected a SEQUENCE (0x30), got tag 0x31"));
  EXPECT_THAT(parsed.malformed[2].second, HasSubstr("userCertificate: expected tag 0x02"));
  EXPECT_THAT(parsed.malformed[3].second, HasSubstr("UTCTime or GeneralizedTime"));
  EXPECT_THAT(parsed.malformed[4].second, HasSubstr("empty serial"));
  EXPECT_THAT(parsed.malformed[5].second, HasSubstr("day out of range"));  // 2023 is no leap year
}

TEST(CrlParserTest, EntryExtensionsCriticalUnknownAndBadReason) {
  const std::string entries =
      Entry("\x01", Utc("240730120000Z"), ReasonExt(4)) +
      Entry("\x02", Utc("240730120000Z"), Extension(Bytes("\x2a\x03", 2), "\x05\x00", true)) +
      Entry("\x03", Utc("240730120000Z"), Extension(Bytes("\x2a\x03", 2), "\x05\x00", false)) +
      Entry("\x04", Utc("240730120000Z"), ReasonExt(1) + ReasonExt(2)) +
      Entry("\x05", Utc("240730120000Z"),
            Extension(Bytes("\x55\x1d\x15", 3), Enc(0x02, "\x01")));  // INTEGER, not ENUMERATED
  const Parsed parsed = Parse(Crl(entries));
  ASSERT_TRUE(parsed.status.ok()) << parsed.status;
  ASSERT_EQ(parsed.records.size(), 2u);
  EXPECT_EQ(parsed.records[0].reason, "superseded");
  EXPECT_EQ(parsed.records[1].serial, "03");
  ASSERT_EQ(parsed.malformed.size(), 3u);
  EXPECT_THAT(parsed.malformed[0].second, HasSubstr("unrecognised critical entry extension 1.2.3"));
  EXPECT_THAT(parsed.malformed[1].second, HasSubstr("two reasonCode"));
  EXPECT_THAT(parsed.malformed[2].second, HasSubstr("unreadable reasonCode"));
}

TEST(CrlParserTest, CertificateIssuerAppliesToItsEntryAndTheFollowingOnes) {
  const std::string other_name = Enc(0x30, Rdn(Atv(kOidCn, 0x0c, "Other CA")));
  const std::string directory_name = Enc(0x30, Enc(0xa4, other_name));
  const std::string uri_only = Enc(0x30, Enc(0x86, "http://x.example/"));
  const std::string cert_issuer = Bytes("\x55\x1d\x1d", 3);
  const std::string entries =
      Entry("\x01") +
      Entry("\x02", Utc("240730120000Z"), Extension(cert_issuer, directory_name, true)) +
      Entry("\x03") + Entry("\x04", Utc("240730120000Z"), Extension(cert_issuer, uri_only, true)) +
      Entry("\x05");
  const std::string aki = Extension(Bytes("\x55\x1d\x23", 3), Enc(0x30, Enc(0x80, "\xab\xcd")));
  const Parsed parsed = Parse(Crl(entries, aki));
  ASSERT_TRUE(parsed.status.ok()) << parsed.status;
  ASSERT_EQ(parsed.records.size(), 3u);
  EXPECT_EQ(parsed.records[0].issuer, "C=US, O=Let's Encrypt, CN=R3");
  EXPECT_EQ(parsed.records[0].key_id, "abcd");
  EXPECT_EQ(parsed.records[1].issuer, "CN=Other CA");
  EXPECT_EQ(parsed.records[1].key_id, "");
  EXPECT_EQ(parsed.records[2].issuer, "CN=Other CA");
  ASSERT_EQ(parsed.malformed.size(), 2u);
  EXPECT_EQ(parsed.malformed[0].first, 4u);
  EXPECT_EQ(parsed.malformed[1].first, 5u);
  EXPECT_THAT(parsed.malformed[1].second, HasSubstr("issuer unknown"));
}

TEST(CrlParserTest, V1CrlWithoutExtensions) {
  const std::string der = Crl(Entry("\x2a"), "", /*v2=*/false);
  absl::StatusOr<std::vector<CrlDocument>> crls = ReadCrls(der);
  ASSERT_TRUE(crls.ok()) << crls.status();
  EXPECT_EQ((*crls)[0].version, 1);
  EXPECT_EQ((*crls)[0].crl_number, "");
  EXPECT_EQ((*crls)[0].authority_key_id, "");
  EXPECT_EQ((*crls)[0].entries, 1u);
  const Parsed parsed = Parse(der);
  ASSERT_EQ(parsed.records.size(), 1u);
  EXPECT_EQ(parsed.records[0].serial, "2a");
  EXPECT_EQ(parsed.records[0].key_id, "");
}

TEST(CrlParserTest, EmptyCrlHasNoRevokedCertificates) {
  TestCa ca;
  const std::string der = ca.IssueCrl(TestCrlSpec());
  absl::StatusOr<std::vector<CrlDocument>> crls = ReadCrls(der);
  ASSERT_TRUE(crls.ok()) << crls.status();
  EXPECT_TRUE((*crls)[0].revoked_certificates.empty());
  EXPECT_EQ((*crls)[0].entries, 0u);
  EXPECT_EQ((*crls)[0].crl_number, "1");
  const Parsed parsed = Parse(der);
  EXPECT_TRUE(parsed.status.ok()) << parsed.status;
  EXPECT_TRUE(parsed.records.empty());
  EXPECT_TRUE(parsed.malformed.empty());
}

TEST(CrlParserTest, DeltaCrlAndUnknownCriticalExtensionAreReported) {
  const std::string extensions = Extension(Bytes("\x55\x1d\x14", 3), Enc(0x02, "\x07")) +
                                 Extension(Bytes("\x55\x1d\x1b", 3), Enc(0x02, "\x05"), true) +
                                 Extension(Bytes("\x2a\x03\x04", 3), "\x05\x00", true);
  absl::StatusOr<std::vector<CrlDocument>> crls = ReadCrls(Crl("", extensions));
  ASSERT_TRUE(crls.ok()) << crls.status();
  EXPECT_EQ((*crls)[0].crl_number, "7");
  EXPECT_TRUE((*crls)[0].delta_crl);
  EXPECT_EQ((*crls)[0].base_crl_number, "5");
  EXPECT_THAT((*crls)[0].unrecognized_critical_extensions, ElementsAre("1.2.3.4"));
}

TEST(CrlParserTest, PemWithCrlfAndTwoBlocksNumbersEntriesAcrossBlocks) {
  TestCa ca("PEM CA");
  const std::string first = ca.IssueCrl(Spec({E("01"), E("02")}),
                                        /*pem=*/true);
  TestCrlSpec second_spec = Spec({E("03")});
  second_spec.crl_number = "2";
  const std::string second = ca.IssueCrl(second_spec, /*pem=*/true);
  const std::string text = absl::StrCat("Downloaded from the CA:\n", first, "and also\n",
                                        absl::StrReplaceAll(second, {{"\n", "\r\n"}}), "trailer\n");
  const Parsed parsed = Parse(text);
  ASSERT_TRUE(parsed.status.ok()) << parsed.status;
  ASSERT_EQ(parsed.records.size(), 3u);
  EXPECT_EQ(parsed.records[2].line, 3u);
  EXPECT_EQ(parsed.records[2].serial, "03");
  absl::StatusOr<std::vector<CrlDocument>> crls = ReadCrls(text);
  ASSERT_TRUE(crls.ok()) << crls.status();
  ASSERT_EQ(crls->size(), 2u);
  EXPECT_EQ((*crls)[0].pem_line, 2u);
  EXPECT_GT((*crls)[1].pem_line, (*crls)[0].pem_line);
  EXPECT_EQ((*crls)[1].crl_number, "2");
  EXPECT_NE((*crls)[1].storage, nullptr);
  // The documents own their bytes: they outlive the text.
  std::vector<CrlDocument> kept = *std::move(crls);
  EXPECT_TRUE(SignatureVerifies(kept[1], ca.certificate()));
}

TEST(CrlParserTest, TruncatedDocumentsFailWithAnOffsetAndNeverCrash) {
  TestCa ca;
  TestCrlSpec spec;
  for (int i = 1; i <= 5; ++i) spec.entries.push_back(E(absl::StrCat(i), i));
  const std::string der = ca.IssueCrl(spec);
  for (size_t n = 1; n < der.size(); ++n) {
    const Parsed parsed = Parse(der.substr(0, n));
    EXPECT_FALSE(parsed.status.ok()) << n;
    EXPECT_THAT(parsed.status.message(), HasSubstr("at byte ")) << n;
  }
  // Every single-byte change: a Status or records and malformed entries, never a crash.
  for (size_t i = 0; i < der.size(); ++i) {
    std::string damaged = der;
    damaged[i] = static_cast<char>(damaged[i] ^ 0x41);
    const Parsed parsed = Parse(damaged);
    if (parsed.status.ok()) {
      EXPECT_LE(parsed.records.size() + parsed.malformed.size(), 5u);
    }
  }
}

TEST(CrlParserTest, IndefiniteLengthAndBadOuterLengthsFailTheDocument) {
  std::string der = Crl(Entry("\x01"));
  std::string indefinite = der;
  indefinite[1] = '\x80';
  EXPECT_THAT(Parse(indefinite).status.message(), HasSubstr("indefinite length"));
  EXPECT_THAT(Parse(Bytes("\x31\x03\x02\x01\x01", 5)).status.message(), HasSubstr("not a CRL"));
  EXPECT_THAT(Parse(der + "junk").status.message(), HasSubstr("data after the CRL"));
  EXPECT_TRUE(Parse(der + "\n").status.ok());
  // An entry whose own length runs past revokedCertificates stops the walk.
  const std::string bad_entry = Crl(Entry("\x01") + Bytes("\x30\x7f\x02\x01\x02", 5));
  const Parsed parsed = Parse(bad_entry);
  EXPECT_FALSE(parsed.status.ok());
  EXPECT_THAT(parsed.status.message(), HasSubstr("runs past the end"));
}

TEST(CrlParserTest, LineApiSaysCrlsAreWholeDocuments) {
  CrlParser parser;
  DumpRecord record;
  std::string reason;
  EXPECT_EQ(parser.Parse("MIIB...", &record, &reason), LineKind::kMalformed);
  EXPECT_THAT(reason, HasSubstr("whole document"));
  EXPECT_TRUE(parser.keeps_document());
  EXPECT_TRUE(parser.whole_document());
}

TEST(CrlParserTest, OneMillionEntries) {
  constexpr int kEntries = 1'000'000;
  std::string entries;
  entries.reserve(static_cast<size_t>(kEntries) * 35);
  std::string entry = Entry(std::string(16, '\x03'));
  ASSERT_EQ(entry.size(), 35u);
  for (int i = 0; i < kEntries; ++i) {
    for (int k = 0; k < 4; ++k) entry[16 + k] = static_cast<char>((i >> (24 - 8 * k)) & 0xff);
    entries += entry;
  }
  const std::string der = Crl(entries);
  const auto start = std::chrono::steady_clock::now();
  CrlParser parser;
  DumpRecord record;
  uint64_t records = 0;
  std::string first, last;
  const absl::Status status = parser.ParseDocument(
      der, &record,
      [&](uint64_t) {
        if (++records == 1) first = std::string(record.serial);
        last = std::string(record.serial);
      },
      [&](uint64_t, absl::string_view reason) { ADD_FAILURE() << reason; });
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  ASSERT_TRUE(status.ok()) << status;
  EXPECT_EQ(records, static_cast<uint64_t>(kEntries));
  EXPECT_EQ(first, "03030303030303030303030300000000");
  EXPECT_EQ(last, "030303030303030303030303000f423f");
  absl::StatusOr<std::vector<CrlDocument>> crls = ReadCrls(der);
  ASSERT_TRUE(crls.ok());
  EXPECT_EQ((*crls)[0].entries, static_cast<uint64_t>(kEntries));
  std::printf("1M entries parsed in %.3f s\n", seconds);
}

// The DER of a certificate whose issuer is the Name `name_der`, signed by a throwaway key.
std::string CertificateWithIssuer(const std::string& name_der) {
  const unsigned char* p = reinterpret_cast<const unsigned char*>(name_der.data());
  X509_NAME* name = d2i_X509_NAME(nullptr, &p, static_cast<long>(name_der.size()));
  if (name == nullptr) return "";
  EVP_PKEY* key = EVP_EC_gen("P-256");
  X509* x509 = X509_new();
  X509_set_version(x509, X509_VERSION_3);
  ASN1_INTEGER_set(X509_get_serialNumber(x509), 1);
  X509_set_issuer_name(x509, name);
  X509_set_subject_name(x509, name);
  X509_gmtime_adj(X509_getm_notBefore(x509), 0);
  X509_gmtime_adj(X509_getm_notAfter(x509), 3600);
  X509_set_pubkey(x509, key);
  X509_sign(x509, key, EVP_sha256());
  unsigned char* out = nullptr;
  const int size = i2d_X509(x509, &out);
  std::string der(reinterpret_cast<const char*>(out), static_cast<size_t>(size > 0 ? size : 0));
  OPENSSL_free(out);
  X509_free(x509);
  EVP_PKEY_free(key);
  X509_NAME_free(name);
  return der;
}

// Renders `name_der` as a CRL issuer and as a certificate issuer (NameToString); "" if OpenSSL
// refuses the name.
std::pair<std::string, std::string> RenderBoth(const std::string& name_der) {
  const std::string cert = CertificateWithIssuer(name_der);
  if (cert.empty()) return {"", ""};
  absl::StatusOr<inventory::Certificate> described = inventory::DescribeDerCertificate(cert);
  absl::StatusOr<std::vector<CrlDocument>> crls = ReadCrls(Crl("", "", true, name_der));
  EXPECT_TRUE(crls.ok()) << crls.status();
  if (!described.ok() || !crls.ok()) return {"", ""};
  return {(*crls)[0].issuer, described->issuer};
}

TEST(CrlIssuerNameTest, RendersLikeNameToString) {
  const std::string kMulti = Enc(0x31, Atv(kOidCn, 0x0c, "a") + Atv(kOidO, 0x13, "b"));
  std::vector<std::string> names = {
      kIssuer,
      Enc(0x30, kMulti + Rdn(Atv(kOidC, 0x13, "DE"))),
      Enc(0x30, Rdn(Atv(kOidCn, 0x0c, " lead, \"q\" +;<>\\ trail "))),
      Enc(0x30, Rdn(Atv(kOidCn, 0x0c, "#hash")) + Rdn(Atv(kOidO, 0x0c, "#")) +
                    Rdn(Atv(kOidO, 0x0c, " ")) + Rdn(Atv(kOidO, 0x0c, ""))),
      Enc(0x30, Rdn(Atv(kOidCn, 0x0c,
                        "Gr\xc3\xbc\xc3\x9f"
                        "e \xe2\x82\xac \xf0\x9f\x94\x92"))),
      Enc(0x30, Rdn(Atv(kOidCn, 0x14, "Caf\xe9 \xa0 T61"))),
      Enc(0x30, Rdn(Atv(kOidCn, 0x16,
                        "ia5\x01\x1f\x7f"
                        "ctl"))),
      Enc(0x30, Rdn(Atv(kOidCn, 0x1e, Bytes("\x00\x41\x00\xe9\x20\xac\x00 ", 8)))),
      Enc(0x30, Rdn(Atv(kOidCn, 0x1c, Bytes("\x00\x00\x00\x41\x00\x01\xf5\x12", 8)))),
      Enc(0x30, Rdn(Atv(Bytes("\x2b\x06\x01\x04\x01\x83\x8f\x2a\x01", 9), 0x0c, "private"))),
      Enc(0x30, Rdn(Atv(kOidCn, 0x04, "octets"))),
  };
  // Every attribute type the renderer knows by name.
  for (const std::string& oid : {Bytes("\x55\x04\x03", 3),
                                 Bytes("\x55\x04\x06", 3),
                                 Bytes("\x55\x04\x0a", 3),
                                 Bytes("\x55\x04\x0b", 3),
                                 Bytes("\x55\x04\x07", 3),
                                 Bytes("\x55\x04\x08", 3),
                                 Bytes("\x55\x04\x05", 3),
                                 Bytes("\x55\x04\x09", 3),
                                 Bytes("\x55\x04\x04", 3),
                                 Bytes("\x55\x04\x0c", 3),
                                 Bytes("\x55\x04\x0d", 3),
                                 Bytes("\x55\x04\x0f", 3),
                                 Bytes("\x55\x04\x11", 3),
                                 Bytes("\x55\x04\x12", 3),
                                 Bytes("\x55\x04\x29", 3),
                                 Bytes("\x55\x04\x2a", 3),
                                 Bytes("\x55\x04\x2b", 3),
                                 Bytes("\x55\x04\x2c", 3),
                                 Bytes("\x55\x04\x2d", 3),
                                 Bytes("\x55\x04\x2e", 3),
                                 Bytes("\x55\x04\x41", 3),
                                 Bytes("\x55\x04\x48", 3),
                                 Bytes("\x55\x04\x61", 3),
                                 Bytes("\x2a\x86\x48\x86\xf7\x0d\x01\x09\x01", 9),
                                 Bytes("\x09\x92\x26\x89\x93\xf2\x2c\x64\x01\x19", 10),
                                 Bytes("\x09\x92\x26\x89\x93\xf2\x2c\x64\x01\x01", 10),
                                 Bytes("\x2b\x06\x01\x04\x01\x82\x37\x3c\x02\x01\x01", 11),
                                 Bytes("\x2b\x06\x01\x04\x01\x82\x37\x3c\x02\x01\x02", 11),
                                 Bytes("\x2b\x06\x01\x04\x01\x82\x37\x3c\x02\x01\x03", 11),
                                 Bytes("\x55\x04\x2f", 3),
                                 Bytes("\x55\x04\x37", 3) /* 2.5.4.55: unknown to OpenSSL */}) {
    names.push_back(Enc(0x30, Rdn(Atv(oid, 0x0c, "v"))));
  }
  // Every byte first, inside and last, in a UTF8String and a PrintableString.
  for (int c = 1; c < 0x80; ++c) {
    const std::string ch(1, static_cast<char>(c));
    for (uint8_t tag : {uint8_t{0x0c}, uint8_t{0x13}}) {
      names.push_back(Enc(0x30, Rdn(Atv(kOidCn, tag, ch + "x" + ch + "x" + ch))));
      names.push_back(Enc(0x30, Rdn(Atv(kOidCn, tag, ch))));
    }
  }
  for (int c = 0x80; c < 0x100; ++c) {
    names.push_back(Enc(0x30, Rdn(Atv(kOidCn, 0x14, std::string(1, static_cast<char>(c)) + "x"))));
  }
  int compared = 0;
  for (const std::string& name : names) {
    const auto [ours, openssl] = RenderBoth(name);
    if (openssl.empty()) continue;  // OpenSSL refused the name (or printed nothing)
    ++compared;
    EXPECT_EQ(ours, openssl);
  }
  EXPECT_GT(compared, static_cast<int>(names.size()) * 9 / 10);
}

TEST(CrlDetectTest, RecognisesDerAndPemCrls) {
  TestCa ca;
  const std::string der = ca.IssueCrl(Spec({E("01")}));
  EXPECT_EQ(DetectFormat(der).value_or(DumpFormat::kRegex), DumpFormat::kCrl);
  EXPECT_EQ(DetectFormat(der.substr(0, 120)).value_or(DumpFormat::kRegex), DumpFormat::kCrl);
  const std::string v1 = Crl(Entry("\x01") + Entry("\x02") + Entry("\x03"), "", /*v2=*/false);
  ASSERT_GE(v1.size(), 128u);  // a long-form outer length, as every real CRL has
  EXPECT_EQ(DetectFormat(v1).value_or(DumpFormat::kRegex), DumpFormat::kCrl);
  const std::string pem = ca.IssueCrl(TestCrlSpec(), /*pem=*/true);
  EXPECT_EQ(DetectFormat(pem).value_or(DumpFormat::kRegex), DumpFormat::kCrl);
  EXPECT_EQ(
      DetectFormat("Fetched from http://r3.c.lencr.org/\n\n" + pem).value_or(DumpFormat::kRegex),
      DumpFormat::kCrl);
  EXPECT_EQ(FormatName(DumpFormat::kCrl), "crl");
  EXPECT_EQ(FormatByName("crl").value_or(DumpFormat::kRegex), DumpFormat::kCrl);
  absl::StatusOr<std::unique_ptr<DumpParser>> parser = MakeParser(DumpFormat::kCrl, {});
  ASSERT_TRUE(parser.ok());
  EXPECT_TRUE((*parser)->keeps_document());
}

TEST(CrlDetectTest, ADerCertificateIsNotACrl) {
  TestCa ca;
  EXPECT_FALSE(CrlParser::Looks(ca.certificate()));
  inventory::TestCertSpec leaf;
  leaf.names = {"example.com"};
  EXPECT_FALSE(CrlParser::Looks(ca.Issue(leaf)));
  EXPECT_FALSE(CrlParser::Looks(TestCa::ToPem(ca.certificate())));
  EXPECT_FALSE(CrlParser::Looks("serial 03e226\n"));
  EXPECT_FALSE(CrlParser::Looks(""));
}

TEST(CrlDetectTest, CompressedCrlIsDecompressedThenDetected) {
  TestCa ca;
  const std::string der = ca.IssueCrl(Spec({E("01"), E("02")}));
  const std::string dir = MakeScratchDir("crl_compressed");
  for (const auto& [suffix, bytes] : {std::pair<std::string, std::string>{"gz", GzipForTest(der)},
                                      {"zst", ZstdForTest(der)},
                                      {"der", der}}) {
    const std::string path = absl::StrCat(dir, "/crl.", suffix);
    FILE* f = std::fopen(path.c_str(), "wb");
    ASSERT_NE(f, nullptr);
    std::fwrite(bytes.data(), 1, bytes.size(), f);
    std::fclose(f);
    absl::StatusOr<std::unique_ptr<DumpSource>> source = DumpSource::Open(path);
    ASSERT_TRUE(source.ok()) << source.status();
    absl::StatusOr<absl::string_view> head = (*source)->Peek(64 << 10);
    ASSERT_TRUE(head.ok());
    EXPECT_EQ(DetectFormat(*head).value_or(DumpFormat::kRegex), DumpFormat::kCrl) << suffix;
    EXPECT_EQ(*head, der);
  }
  RemoveTree(dir);
}

}  // namespace
}  // namespace serialmatch::dump
