#include "src/inventory/renew.h"

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/sha.h>
#include <openssl/x509.h>
#include <sys/stat.h>

#include <string>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "src/base/file_util.h"
#include "src/base/test_util.h"
#include "src/inventory/keys.h"
#include "src/inventory/test_certs.h"

namespace serialmatch::inventory {
namespace {

using ::testing::HasSubstr;

Certificate At(const std::string& path) {
  Certificate c;
  c.path = path;
  DescribeLayout(&c);
  return c;
}

TEST(ShellQuoteTest, PlainWordsStayAndEverythingElseIsSingleQuoted) {
  EXPECT_EQ(ShellQuote("example.com"), "example.com");
  EXPECT_EQ(ShellQuote("/etc/letsencrypt/live/a-b_c:1"), "/etc/letsencrypt/live/a-b_c:1");
  EXPECT_EQ(ShellQuote("*.example.com"), "'*.example.com'");
  EXPECT_EQ(ShellQuote("a b"), "'a b'");
  EXPECT_EQ(ShellQuote("x'; rm -rf ~; '"), "'x'\\''; rm -rf ~; '\\'''");
  EXPECT_EQ(ShellQuote("$(id)"), "'$(id)'");
  EXPECT_EQ(ShellQuote(""), "''");
}

TEST(LayoutTest, CertbotLiveAndArchive) {
  for (const char* file : {"cert.pem", "fullchain.pem", "chain.pem"}) {
    const Certificate c = At(absl::StrCat("/etc/letsencrypt/live/example.com/", file));
    EXPECT_EQ(c.store, Store::kCertbot) << file;
    EXPECT_EQ(c.store_name, "example.com");
    EXPECT_EQ(KeyFileOf(c), "/etc/letsencrypt/live/example.com/privkey.pem");
  }
  const Certificate old = At("/etc/letsencrypt/archive/example.com/fullchain12.pem");
  EXPECT_EQ(old.store, Store::kCertbot);
  EXPECT_EQ(KeyFileOf(old), "/etc/letsencrypt/archive/example.com/privkey12.pem");
  // Not certbot: another file name in live/, a number-less archive file, a top-level cert.pem.
  EXPECT_EQ(At("/etc/letsencrypt/live/example.com/README").store, Store::kFile);
  EXPECT_EQ(At("/etc/letsencrypt/archive/example.com/cert.pem").store, Store::kFile);
  EXPECT_EQ(At("cert.pem").store, Store::kFile);
}

TEST(LayoutTest, AcmeShRsaAndEccAndCaddy) {
  const Certificate rsa = At("/root/.acme.sh/example.org/example.org.cer");
  EXPECT_EQ(rsa.store, Store::kAcmeSh);
  EXPECT_EQ(rsa.store_name, "example.org");
  EXPECT_EQ(rsa.store_group, "");
  EXPECT_EQ(KeyFileOf(rsa), "/root/.acme.sh/example.org/example.org.key");
  const Certificate ecc = At("/root/.acme.sh/*.example.org_ecc/*.example.org.cer");
  EXPECT_EQ(ecc.store, Store::kAcmeSh);
  EXPECT_EQ(ecc.store_name, "*.example.org");
  EXPECT_EQ(ecc.store_group, "ecc");
  EXPECT_EQ(RenewalOf(ecc).command, "acme.sh --renew -d '*.example.org' --force --ecc");
  // fullchain.cer counts only beside DOMAIN.cer (here: missing).
  EXPECT_EQ(At("/nowhere/example.org/fullchain.cer").store, Store::kFile);

  const Certificate caddy =
      At("/var/lib/caddy/.local/share/caddy/certificates/acme-v02.api.letsencrypt.org-directory/"
         "shop.example/shop.example.crt");
  EXPECT_EQ(caddy.store, Store::kCaddy);
  EXPECT_EQ(caddy.store_name, "shop.example");
  EXPECT_EQ(caddy.store_group, "acme-v02.api.letsencrypt.org-directory");
  EXPECT_THAT(RenewalOf(caddy).command,
              HasSubstr("/shop.example.replaced && systemctl restart caddy"));
  EXPECT_EQ(At("/srv/certificates/x/shop.example/other.crt").store, Store::kFile);
}

TEST(LayoutTest, AnAlsoAtPlaceInALayoutCounts) {
  Certificate c;
  c.path = "/etc/ssl/bundle.pem";
  c.also_at = {"/etc/letsencrypt/live/www/fullchain.pem:1"};
  DescribeLayout(&c);
  EXPECT_EQ(c.store, Store::kCertbot);
  EXPECT_EQ(c.store_name, "www");
}

TEST(RenewalTest, OneCommandOrOneReasonForEachStore) {
  EXPECT_EQ(RenewalOf(At("/etc/letsencrypt/live/example.com/cert.pem")).command,
            "certbot renew --cert-name example.com --force-renewal");
  EXPECT_EQ(RenewalOf(At("/root/.acme.sh/example.org/example.org.cer")).command,
            "acme.sh --renew -d example.org --force");

  Certificate secret;
  secret.location = "secret/prod/www-tls";
  secret.store = Store::kKubernetes;
  secret.store_group = "prod";
  secret.store_name = "www";
  EXPECT_EQ(RenewalOf(secret).command, "cmctl renew -n prod www");
  secret.store_name.clear();
  const Renewal unmanaged = RenewalOf(secret);
  EXPECT_EQ(unmanaged.command, "");
  EXPECT_THAT(unmanaged.note, HasSubstr("secret/prod/www-tls is not managed by cert-manager"));

  Certificate traefik;
  traefik.store = Store::kTraefik;
  traefik.store_group = "le";
  traefik.store_name = "example.com";
  traefik.store_path = "/data/acme.json";
  EXPECT_EQ(RenewalOf(traefik).command,
            "jq --arg r le --arg main example.com '.[$r].Certificates |= map(select(.domain.main "
            "!= $main))' /data/acme.json > /data/acme.json.new && chmod 600 /data/acme.json.new "
            "&& mv -- /data/acme.json.new /data/acme.json");
  traefik.store_group.clear();  // Traefik v1
  EXPECT_THAT(RenewalOf(traefik).command, HasSubstr("'.Certificates |= map(select(.Domain.Main"));

  Certificate plain = At("/etc/ssl/www.pem");
  EXPECT_EQ(RenewalOf(plain).command, "");
  EXPECT_THAT(RenewalOf(plain).note, HasSubstr("no known store for /etc/ssl/www.pem"));

  Certificate ca = At("/etc/letsencrypt/live/example.com/chain.pem");
  ca.is_ca = true;
  EXPECT_EQ(RenewalOf(ca).command, "");
  EXPECT_THAT(RenewalOf(ca).note, HasSubstr("a CA certificate"));

  Certificate served;
  served.endpoint = "www.example.com:443";
  EXPECT_EQ(RenewalOf(served).command, "");
}

TEST(RenewalTest, NamesThatAreOptionsOrHoldControlBytesGiveNoCommand) {
  for (const char* name : {"-rf", "a\nrm -rf /", "a\rb", "tab\there"}) {
    Certificate c;
    c.store = Store::kCertbot;
    c.store_name = name;
    const Renewal r = RenewalOf(c);
    EXPECT_EQ(r.command, "") << name;
    EXPECT_THAT(r.note, HasSubstr("cannot be written safely")) << name;
  }
  Certificate c;
  c.store = Store::kCertbot;
  c.store_name = "it's";
  EXPECT_EQ(RenewalOf(c).command, "certbot renew --cert-name 'it'\\''s' --force-renewal");
}

TEST(KeysTest, TheKeysPublicKeyHashEqualsItsCertificates) {
  TestCa ca("Keys CA");
  TestCertSpec spec;
  spec.names = {"k.example"};
  std::string key_pem;
  const std::string der = ca.Issue(spec, &key_pem);
  CertificateInventory inventory;
  Diagnostics diags;
  ASSERT_EQ(ParseCertificateData(der, "k.der", &inventory, &diags), 1u);
  absl::StatusOr<std::string> spki = PrivateKeySpkiSha256(key_pem);
  ASSERT_TRUE(spki.ok()) << spki.status();
  EXPECT_EQ(*spki, inventory.certificates[0].spki_sha256);
  absl::StatusOr<std::string> other = FirstPrivateKeySpkiSha256(TestCa::PrivateKeyPem());
  ASSERT_TRUE(other.ok()) << other.status();
  EXPECT_NE(*other, *spki);
  EXPECT_EQ(FirstPrivateKeySpkiSha256("no key here").status().code(), absl::StatusCode::kNotFound);
}

// The public key hash OpenSSL gives for `key`, and `key` written as PKCS #8 and in its
// traditional form (RSA PRIVATE KEY, EC PRIVATE KEY).
struct KeyForms {
  std::string expected;
  std::string pkcs8;
  std::string traditional;
};

KeyForms Forms(EVP_PKEY* key) {
  KeyForms forms;
  unsigned char* spki = nullptr;
  const int size = i2d_PUBKEY(key, &spki);
  unsigned char md[32];
  SHA256(spki, static_cast<size_t>(size), md);
  OPENSSL_free(spki);
  forms.expected = absl::BytesToHexString(absl::string_view(reinterpret_cast<char*>(md), 32));
  for (const bool pkcs8 : {true, false}) {
    BIO* bio = BIO_new(BIO_s_mem());
    if (pkcs8) {
      PEM_write_bio_PrivateKey(bio, key, nullptr, nullptr, 0, nullptr, nullptr);
    } else {
      PEM_write_bio_PrivateKey_traditional(bio, key, nullptr, nullptr, 0, nullptr, nullptr);
    }
    char* data = nullptr;
    const long length = BIO_get_mem_data(bio, &data);
    (pkcs8 ? forms.pkcs8 : forms.traditional) = std::string(data, static_cast<size_t>(length));
    BIO_free(bio);
  }
  return forms;
}

// The public key read from the key's DER (RSA, EC) and the one OpenSSL derives (Ed25519, which
// PKCS #8 v1 writes without it) agree with OpenSSL's own encoding, in every form.
TEST(KeysTest, EveryKeyFormGivesOpenSslsPublicKey) {
  std::vector<EVP_PKEY*> keys = {EVP_RSA_gen(2048), EVP_EC_gen("P-256"), EVP_EC_gen("P-384"),
                                 EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519")};
  for (EVP_PKEY* key : keys) {
    ASSERT_NE(key, nullptr);
    const KeyForms forms = Forms(key);
    for (const std::string* pem : {&forms.pkcs8, &forms.traditional}) {
      if (pem->empty()) continue;  // Ed25519 has no traditional form
      absl::StatusOr<std::string> spki = FirstPrivateKeySpkiSha256(*pem);
      ASSERT_TRUE(spki.ok()) << spki.status() << "\n" << pem->substr(0, 40);
      EXPECT_EQ(*spki, forms.expected) << pem->substr(0, 40);
    }
    EVP_PKEY_free(key);
  }
}

TEST(KeysTest, EncryptedKeysAreRecognisedNotDecrypted) {
  const absl::StatusOr<std::string> pkcs8 = PrivateKeySpkiSha256(
      "-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIB\n-----END ENCRYPTED PRIVATE KEY-----\n");
  EXPECT_TRUE(IsEncryptedKeyError(pkcs8.status())) << pkcs8.status();
  const absl::StatusOr<std::string> legacy = PrivateKeySpkiSha256(
      "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00\n\nMIIB\n"
      "-----END RSA PRIVATE KEY-----\n");
  EXPECT_TRUE(IsEncryptedKeyError(legacy.status())) << legacy.status();
  const absl::StatusOr<std::string> junk =
      PrivateKeySpkiSha256("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n");
  EXPECT_FALSE(junk.ok());
  EXPECT_FALSE(IsEncryptedKeyError(junk.status()));
}

}  // namespace
}  // namespace serialmatch::inventory
