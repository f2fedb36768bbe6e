// SPDX-License-Identifier: GPL-2.0
/* mcoad config parser: good files parse, bad ones name file and line. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kselftest_harness.h"
#include "config.h"

/*
 * Most cases are about something else than IPsec, which is on by default
 * and wants keys: they get "ipsec no" as the last line, which moves no
 * line number but that of an end-of-file error. parse_raw() takes the
 * text as it is.
 */
static int parse_raw(const char *text, struct mcoad_config *cfg, char *err,
		     size_t errlen)
{
	FILE *in = fmemopen((void *)text, strlen(text), "r");
	FILE *e = fmemopen(err, errlen, "w");
	int ret;

	memset(err, 0, errlen);
	config_defaults(cfg);
	ret = config_parse(cfg, in, "t.conf", e);
	fclose(e);
	fclose(in);
	return ret;
}

static int parse(const char *text, struct mcoad_config *cfg, char *err,
		 size_t errlen)
{
	static char buf[4096];
	size_t n = strlen(text);

	if (strstr(text, "ipsec") || strstr(text, "\nsa ") ||
	    strstr(text, "\nike ") || !n ||
	    text[n - 1] != '\n' || n + 16 > sizeof(buf))
		return parse_raw(text, cfg, err, errlen);
	snprintf(buf, sizeof(buf), "%sipsec no\n", text);
	return parse_raw(buf, cfg, err, errlen);
}

#define HA_OK	"role ha\nhome-agent fd00:1::1\nhome-prefix fd00:1::/64\n" \
		"home-link hl\n"
#define MN_OK	"role mn\nhome-agent fd00:1::1\nhome-prefix fd00:1::/64\n" \
		"home-address fd00:1::100\n"

TEST(ha_minimal)
{
	struct mcoad_config c;
	char err[256];

	ASSERT_EQ(0, parse(HA_OK "max-lifetime 120  # comment\n", &c, err,
			   sizeof(err)));
	EXPECT_EQ(ROLE_HA, c.role);
	EXPECT_EQ(120, c.max_lifetime);
	EXPECT_EQ(64, c.home_plen);
	EXPECT_STREQ("hl", c.home_link);
	EXPECT_TRUE(c.allow_bulk);
	EXPECT_TRUE(c.dad);
	ASSERT_EQ(0, parse(HA_OK "dad no\n", &c, err, sizeof(err)));
	EXPECT_FALSE(c.dad);
	EXPECT_EQ(-1, parse(HA_OK "dad sometimes\n", &c, err, sizeof(err)));
	EXPECT_NE(NULL, strstr(err, "t.conf:5: dad"));
}

TEST(mn_links)
{
	struct mcoad_config c;
	char err[256];

	ASSERT_EQ(0, parse(MN_OK "link if1 bid 7 prio 3\nlink if2\n", &c, err,
			   sizeof(err)));
	ASSERT_EQ(2, c.nlinks);
	EXPECT_EQ(7, c.links[0].bid);
	EXPECT_EQ(3, c.links[0].prio);
	EXPECT_EQ(2, c.links[1].bid);
}

TEST(mn_home_link)
{
	struct mcoad_config c;
	char err[256];

	ASSERT_EQ(0, parse(MN_OK "link if1\nhome-link hif\n", &c, err,
			   sizeof(err)));
	EXPECT_EQ(ROLE_MN, c.role);
	EXPECT_STREQ("hif", c.home_link);
	/* optional for a mobile node */
	ASSERT_EQ(0, parse(MN_OK "link if1\n", &c, err, sizeof(err)));
	EXPECT_STREQ("", c.home_link);
	/* the error points at the home-link line, not the end of the file */
	EXPECT_EQ(-1, parse(MN_OK "home-link if1\nlink if1\nlink if2\n", &c,
			    err, sizeof(err)));
	EXPECT_NE(NULL, strstr(err, "t.conf:5: home-link: if1 is also"));
	EXPECT_EQ(-1, parse(MN_OK "link if1\nhome-link mip0\n", &c, err,
			    sizeof(err)));
	EXPECT_NE(NULL, strstr(err, "t.conf:6: home-link: mip0 is the"));
	EXPECT_EQ(-1, parse(MN_OK "link if1\nhome-link a/b\n", &c, err,
			    sizeof(err)));
	EXPECT_NE(NULL, strstr(err, "t.conf:6: home-link"));
}

TEST(errors_name_file_and_line)
{
	struct mcoad_config c;
	char err[256];

	EXPECT_EQ(-1, parse(HA_OK "max-lifetime 2\n", &c, err, sizeof(err)));
	EXPECT_NE(NULL, strstr(err, "t.conf:5: max-lifetime"));
	EXPECT_EQ(-1, parse("role xx\n", &c, err, sizeof(err)));
	EXPECT_NE(NULL, strstr(err, "t.conf:1: role"));
	EXPECT_EQ(-1, parse(HA_OK "bogus 1\n", &c, err, sizeof(err)));
	EXPECT_NE(NULL, strstr(err, "t.conf:5: unknown keyword 'bogus'"));
	EXPECT_EQ(-1, parse(MN_OK "link if1 bid 1\nlink if2 bid 1\n", &c, err,
			    sizeof(err)));
	EXPECT_NE(NULL, strstr(err, "t.conf:6: link: bid 1 already used"));
	EXPECT_EQ(-1, parse(MN_OK "link if1 bid 0\n", &c, err, sizeof(err)));
	EXPECT_NE(NULL, strstr(err, "t.conf:5: bid"));
	EXPECT_EQ(-1, parse("home-agent ff02::1\n", &c, err, sizeof(err)));
	EXPECT_NE(NULL, strstr(err, "t.conf:1: home-agent"));
	EXPECT_EQ(-1, parse("home-prefix fd00::\n", &c, err, sizeof(err)));
	EXPECT_NE(NULL, strstr(err, "t.conf:1: home-prefix"));
	EXPECT_EQ(-1, parse(HA_OK "allow-bulk maybe\n", &c, err, sizeof(err)));
	EXPECT_NE(NULL, strstr(err, "t.conf:5: allow-bulk"));
}

/* issue 10: a mobile node whose home address is its home agent's */
TEST(mn_hoa_is_home_agent)
{
	struct mcoad_config c;
	char err[256];

	EXPECT_EQ(-1, parse("role mn\nhome-agent fd00:1::1\n"
			    "home-prefix fd00:1::/64\n"
			    "home-address fd00:1::1\nlink if1\n", &c, err,
			    sizeof(err)));
	EXPECT_NE(NULL, strstr(err, "t.conf:4: home-address: is the home-agent"));
}

/* issue 10 item 8: a home binding would blackhole, so it cannot be allowed */
TEST(allow_home_binding_refused)
{
	struct mcoad_config c;
	char err[256];

	EXPECT_EQ(0, parse(HA_OK "allow-home-binding no\n", &c, err,
			   sizeof(err)));
	EXPECT_EQ(-1, parse(HA_OK "allow-home-binding yes\n", &c, err,
			    sizeof(err)));
	EXPECT_NE(NULL, strstr(err, "t.conf:5: allow-home-binding: simultaneous"));
}

/* RFC 6275 s.13: InitialBindackTimeoutFirstReg is configurable */
TEST(first_reg_timeout)
{
	struct mcoad_config c;
	char err[256];

	ASSERT_EQ(0, parse(MN_OK "link if1\n", &c, err, sizeof(err)));
	EXPECT_EQ(1500, c.first_reg_timeout_ms);
	ASSERT_EQ(0, parse(MN_OK "link if1\ninitial-bindack-timeout-first-reg 4000\n",
			   &c, err, sizeof(err)));
	EXPECT_EQ(4000, c.first_reg_timeout_ms);
	EXPECT_EQ(-1, parse(MN_OK "initial-bindack-timeout-first-reg 999\n",
			    &c, err, sizeof(err)));
	EXPECT_NE(NULL, strstr(err, "t.conf:5: initial-bindack-timeout-first-reg"));
}

TEST(missing_settings)
{
	struct mcoad_config c;
	char err[256];

	EXPECT_EQ(-1, parse(MN_OK, &c, err, sizeof(err)));
	EXPECT_NE(NULL, strstr(err, "at least one 'link"));
	EXPECT_EQ(-1, parse("role ha\nhome-agent fd00:1::1\nhome-prefix fd00:1::/64\n",
			    &c, err, sizeof(err)));
	EXPECT_NE(NULL, strstr(err, "home-link"));
}

/* Wrong, not only malformed: each names FILE:LINE of the culprit. */
#define ERR_AT(text, want)						\
	do {								\
		EXPECT_EQ(-1, parse(text, &c, err, sizeof(err)));	\
		EXPECT_NE(NULL, strstr(err, want)) TH_LOG("got: %s", err); \
	} while (0)

TEST(semantic_errors)
{
	struct mcoad_config c;
	char err[256];

	ERR_AT(HA_OK "max-lifetime 100\nmax-lifetime 200\n",
	       "t.conf:6: max-lifetime: given twice (first at line 5)");
	ERR_AT("role ha\nhome-agent fd00:2::1\nhome-prefix fd00:1::/64\nhome-link hl\n",
	       "t.conf:2: home-agent: fd00:2::1 is outside home-prefix fd00:1::/64");
	ERR_AT(MN_OK "home-address fd00:9::100\n", "t.conf:5: home-address: given twice");
	ERR_AT("role mn\nhome-agent fd00:1::1\nhome-prefix fd00:1::/64\n"
	       "home-address fd00:9::100\nlink if1\n",
	       "t.conf:4: home-address: fd00:9::100 is outside home-prefix");
	ERR_AT("role ha\nhome-agent fd00:1::1\nhome-prefix fd00:1::1/64\n",
	       "t.conf:3: home-prefix: fd00:1::1/64 has host bits set (fd00:1::/64?)");
	ERR_AT(MN_OK "device if1\nlink if1\n",
	       "t.conf:6: link: if1 is the mcoa device");
	ERR_AT(HA_OK "max-lifetime 60\nbrr-lead 60\n",
	       "t.conf:6: brr-lead: 60 s is not shorter than max-lifetime 60");
	ERR_AT(HA_OK "lifetime 60\n", "t.conf:5: lifetime: is for role mn only");
	ERR_AT(MN_OK "link if1\nmax-lifetime 60\n",
	       "t.conf:6: max-lifetime: is for role ha only");
	ERR_AT(HA_OK "device a:b\n", "t.conf:5: device: 'a:b' is not a valid interface name");
	ERR_AT(HA_OK "device ..\n", "t.conf:5: device: '..' is not a valid");
	ERR_AT(HA_OK "device 0123456789abcdef\n", "t.conf:5: device: '0123456789abcdef' is not");
}

TEST(empty_binary_bom)
{
	struct mcoad_config c;
	char err[256];
	static const char bin[] = "role ha\n\x7f" "ELF\x01\x02\0\0\0junk\n";
	FILE *in, *e;

	ERR_AT("", "t.conf: the file is empty");
	EXPECT_EQ(-1, parse_raw("# only a comment\n\n", &c, err, sizeof(err)));
	EXPECT_NE(NULL, strstr(err, "t.conf:2: no keywords"));
	/* a NUL byte: fmemopen with the real length */
	in = fmemopen((void *)bin, sizeof(bin) - 1, "r");
	e = fmemopen(err, sizeof(err), "w");
	memset(err, 0, sizeof(err));
	config_defaults(&c);
	EXPECT_EQ(-1, config_parse(&c, in, "t.conf", e));
	fclose(e);
	fclose(in);
	EXPECT_NE(NULL, strstr(err, "t.conf:2: binary data (byte 0x7f), not a text configuration"))
		TH_LOG("got: %s", err);
	ASSERT_EQ(0, parse("\xef\xbb\xbf" HA_OK, &c, err, sizeof(err)))
		TH_LOG("got: %s", err);
	EXPECT_EQ(ROLE_HA, c.role);
}

/* Issue 11: the home agent's limits, their defaults and ranges */
TEST(ha_limits)
{
	struct mcoad_config c;
	char err[256];

	ASSERT_EQ(0, parse(HA_OK, &c, err, sizeof(err)));
	EXPECT_EQ(16, c.max_bindings_per_hoa);
	EXPECT_EQ(16, c.max_hoas_per_source);
	EXPECT_EQ(10000, c.max_hoas);
	EXPECT_EQ(10, c.max_bu_rate);
	ASSERT_EQ(0, parse(HA_OK "max-bindings-per-hoa 2\nmax-hoas-per-source 0\n"
			   "max-hoas 1000000\nmax-bu-rate 0\n", &c, err,
			   sizeof(err))) TH_LOG("got: %s", err);
	EXPECT_EQ(2, c.max_bindings_per_hoa);
	EXPECT_EQ(0, c.max_hoas_per_source);
	EXPECT_EQ(1000000, c.max_hoas);
	EXPECT_EQ(0, c.max_bu_rate);
	ASSERT_EQ(0, parse(HA_OK "max-bindings-per-hoa 32\n", &c, err,
			   sizeof(err)));
	EXPECT_EQ(32, c.max_bindings_per_hoa);
	ERR_AT(HA_OK "max-bindings-per-hoa 0\n",
	       "t.conf:5: max-bindings-per-hoa: '0' is not a number in 1..32");
	ERR_AT(HA_OK "max-bindings-per-hoa 33\n",
	       "t.conf:5: max-bindings-per-hoa: '33' is not a number in 1..32");
	ERR_AT(HA_OK "max-hoas-per-source -1\n",
	       "t.conf:5: max-hoas-per-source: '-1' is not a number in 0..1000000");
	ERR_AT(HA_OK "max-hoas 10000001\n",
	       "t.conf:5: max-hoas: '10000001' is not a number in 0..10000000");
	ERR_AT(HA_OK "max-bu-rate 4294967296\n",
	       "t.conf:5: max-bu-rate: '4294967296' is not a number in 0..1000000");
	ERR_AT(HA_OK "max-bu-rate ten\n", "t.conf:5: max-bu-rate: 'ten'");
	ERR_AT(HA_OK "max-bu-rate\n", "t.conf:5: max-bu-rate: expected exactly one value");
	ERR_AT(HA_OK "max-hoas 5\nmax-hoas 6\n",
	       "t.conf:6: max-hoas: given twice (first at line 5)");
	ERR_AT(MN_OK "link if1\nmax-bu-rate 3\n",
	       "t.conf:6: max-bu-rate: is for role ha only");
}

/* issue 9: manual keys, one line per direction, the same on both sides */
#define K20 "0x0102030405060708090a0b0c0d0e0f1011121314"
#define SA_IN  "sa fd00:1::100 mn-to-ha spi 0x1001 aead rfc4106(gcm(aes)) " K20 " 128\n"
#define SA_OUT "sa fd00:1::100 ha-to-mn spi 0x2001 enc cbc(aes) " \
	"0x00112233445566778899aabbccddeeff auth hmac(sha256) " \
	"0x00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff\n"

TEST(ipsec_manual_keys)
{
	struct mcoad_config c;
	char err[512];

	ASSERT_EQ(0, parse_raw(HA_OK SA_IN SA_OUT, &c, err, sizeof(err)));
	EXPECT_TRUE(c.ipsec);
	ASSERT_EQ(2, c.nsas);
	EXPECT_TRUE(c.sas[0].mn_to_ha);
	EXPECT_TRUE(c.sas[0].aead);
	EXPECT_EQ(0x1001, c.sas[0].spi);
	EXPECT_EQ(20, c.sas[0].a.key_len);
	EXPECT_EQ(128, c.sas[0].a.bits);
	EXPECT_EQ(0x14, c.sas[0].a.key[19]);
	EXPECT_FALSE(c.sas[1].aead);
	EXPECT_STREQ("cbc(aes)", c.sas[1].a.name);
	EXPECT_EQ(32, c.sas[1].auth.key_len);
	EXPECT_EQ(128, c.sas[1].auth.bits);	/* RFC 4868 */
	EXPECT_EQ(5, c.sas[0].line);
	/* the very same lines in the mobile node's file */
	ASSERT_EQ(0, parse_raw(MN_OK "link if1\n" SA_IN SA_OUT, &c, err,
			       sizeof(err)));
	EXPECT_EQ(2, c.nsas);
}

TEST(ipsec_default_needs_keys)
{
	struct mcoad_config c;
	char err[512];

	/* on by default: no keys and no "ipsec no" is an error */
	EXPECT_EQ(-1, parse_raw(HA_OK, &c, err, sizeof(err)));
	EXPECT_NE(NULL, strstr(err, "t.conf:4: IPsec protects BU/BA by default"));
	EXPECT_EQ(0, parse_raw(HA_OK "ipsec no\n", &c, err, sizeof(err)));
	EXPECT_FALSE(c.ipsec);
	/* keys with ipsec no: contradictory */
	EXPECT_EQ(-1, parse_raw(HA_OK "ipsec no\n" SA_IN SA_OUT, &c, err,
				sizeof(err)));
	EXPECT_NE(NULL, strstr(err, "t.conf:6: sa: given with 'ipsec no' (line 5)"));
	/* one direction alone */
	EXPECT_EQ(-1, parse_raw(HA_OK SA_IN, &c, err, sizeof(err)));
	EXPECT_NE(NULL, strstr(err, "t.conf:5: sa: fd00:1::100 has no 'ha-to-mn' sa"));
}

#define ERR_RAW(text, want) do { \
	EXPECT_EQ(-1, parse_raw(text, &c, err, sizeof(err))); \
	EXPECT_NE(NULL, strstr(err, want)) TH_LOG("got: %s", err); \
} while (0)

TEST(ipsec_key_errors_name_line)
{
	struct mcoad_config c;
	char err[512];

	ERR_RAW(HA_OK "sa fd00:1::100 mn-to-ha spi 0x1001 aead gcm(aes) " K20 " 128\n",
		"t.conf:5: sa: aead: unknown algorithm 'gcm(aes)' (one of rfc4106(gcm(aes))");
	ERR_RAW(HA_OK "sa fd00:1::100 mn-to-ha spi 0x1001 aead rfc4106(gcm(aes)) 0x0102 128\n",
		"t.conf:5: sa: aead rfc4106(gcm(aes)): key is 16 bits, needs 160 or 224 or 288 bits");
	ERR_RAW(HA_OK "sa fd00:1::100 mn-to-ha spi 0x1001 aead rfc4106(gcm(aes)) 0x010 128\n",
		"t.conf:5: sa: key has 3 hex digits");
	ERR_RAW(HA_OK "sa fd00:1::100 mn-to-ha spi 0x1001 aead rfc4106(gcm(aes)) 0x0g 128\n",
		"t.conf:5: sa: key: 'g' is not a hex digit");
	ERR_RAW(HA_OK "sa fd00:1::100 mn-to-ha spi 0x1001 aead rfc4106(gcm(aes)) 1234 128\n",
		"t.conf:5: sa: key '1234...' must be hexadecimal, written 0x");
	ERR_RAW(HA_OK "sa fd00:1::100 mn-to-ha spi 0x1001 aead rfc4106(gcm(aes)) " K20 " 100\n",
		"t.conf:5: sa: aead rfc4106(gcm(aes)): ICV '100' bits, needs 64 or 96 or 128");
	ERR_RAW(HA_OK "sa fd00:1::100 mn-to-ha spi 12 aead rfc4106(gcm(aes)) " K20 " 128\n",
		"t.conf:5: sa: spi '12' is not a number in 256..0xffffffff");
	ERR_RAW(HA_OK "sa fd00:1::100 up spi 0x1001 aead rfc4106(gcm(aes)) " K20 " 128\n",
		"t.conf:5: sa: direction 'up'");
	ERR_RAW(HA_OK "sa fd00:1::100 mn-to-ha spi 0x1001 enc cbc(aes) 0x00112233445566778899aabbccddeeff\n",
		"t.conf:5: sa: enc needs an integrity algorithm too");
	ERR_RAW(HA_OK "sa fd00:1::100 mn-to-ha spi 0x1001 enc cbc(aes) 0x00112233445566778899aabbccddeeff auth hmac(sha256) " K20 "\n",
		"t.conf:5: sa: auth hmac(sha256): key is 160 bits, needs 256 bits");
	ERR_RAW(HA_OK SA_IN "sa fd00:1::100 mn-to-ha spi 0x1002 aead rfc4106(gcm(aes)) " K20 " 128\n",
		"t.conf:6: sa: fd00:1::100 mn-to-ha given twice (first at line 5)");
	ERR_RAW(HA_OK SA_IN "sa fd00:1::200 mn-to-ha spi 0x1001 aead rfc4106(gcm(aes)) " K20 " 128\n",
		"t.conf:6: sa: spi 0x1001 already used at line 5");
	ERR_RAW(HA_OK "sa fd00:9::100 mn-to-ha spi 0x1001 aead rfc4106(gcm(aes)) " K20 " 128\n",
		"t.conf:5: sa: fd00:9::100 is outside home-prefix");
	ERR_RAW(MN_OK "link if1\nsa fd00:1::200 mn-to-ha spi 0x1001 aead rfc4106(gcm(aes)) " K20 " 128\n"
		"sa fd00:1::200 ha-to-mn spi 0x1002 aead rfc4106(gcm(aes)) " K20 " 128\n",
		"t.conf:6: sa: fd00:1::200 is not this mobile node's home-address");
}

/* issue 9: keys from IKEv2 (strongSwan) for some HoAs, manual for others */
TEST(ipsec_ike)
{
	struct mcoad_config c;
	char err[512];

	ASSERT_EQ(0, parse_raw(HA_OK "ike fd00:1::100\n"
			       "sa fd00:1::200 mn-to-ha spi 0x1001 aead rfc4106(gcm(aes)) " K20 " 128\n"
			       "sa fd00:1::200 ha-to-mn spi 0x1002 aead rfc4106(gcm(aes)) " K20 " 128\n"
			       "ike fd00:1::300\n", &c, err, sizeof(err)))
		TH_LOG("got: %s", err);
	EXPECT_TRUE(c.ipsec);
	EXPECT_EQ(2, c.nike);
	EXPECT_EQ(2, c.nsas);
	EXPECT_EQ(5, c.ike_line[0]);
	EXPECT_EQ(8, c.ike_line[1]);
	EXPECT_EQ(0x03, c.ike[1].s6_addr[14]);	/* fd00:1::300 */
	/* "ike" alone is enough keys for an MN: no "ipsec no" needed */
	ASSERT_EQ(0, parse_raw(MN_OK "link if1\nike fd00:1::100\n", &c, err,
			       sizeof(err)))
		TH_LOG("got: %s", err);
	EXPECT_EQ(1, c.nike);
}

TEST(ipsec_ike_errors_name_line)
{
	struct mcoad_config c;
	char err[512];

	ERR_RAW(HA_OK "ike\n", "t.conf:5: ike: expected one home address");
	ERR_RAW(HA_OK "ike fd00:1::100 psk\n",
		"t.conf:5: ike: expected one home address");
	ERR_RAW(HA_OK "ike fd00:1::zz\n",
		"t.conf:5: ike: 'fd00:1::zz' is not an IPv6 address");
	ERR_RAW(HA_OK "ike fd00:1::100\n\nike fd00:1::100\n",
		"t.conf:7: ike: fd00:1::100 given twice (first at line 5)");
	ERR_RAW(HA_OK "ike fd00:9::100\n",
		"t.conf:5: ike: fd00:9::100 is outside home-prefix");
	ERR_RAW(HA_OK "ike fd00:1::1\n",
		"t.conf:5: ike: fd00:1::1 is the home-agent address");
	ERR_RAW(MN_OK "link if1\nike fd00:1::200\n",
		"t.conf:6: ike: fd00:1::200 is not this mobile node's home-address");
	/* one source of keys per HoA */
	ERR_RAW(HA_OK SA_IN SA_OUT "ike fd00:1::100\n",
		"t.conf:7: ike: fd00:1::100 also has manual keys ('sa' at line 5): use one or the other");
	ERR_RAW(HA_OK "ipsec no\nike fd00:1::100\n",
		"t.conf:6: ike: given with 'ipsec no' (line 5)");
}

/* ---- NEMO (RFC 3963) -------------------------------------------------- */

#define MR_OK	MN_OK "link if1\nmobile-router yes\n"

/* A file that must not parse, and what the message says (file:line) */
struct bad_file {
	const char *text, *want;
};

static void expect_errors(struct __test_metadata *_metadata,
			  const struct bad_file *t, unsigned int n)
{
	struct mcoad_config c;
	char err[256];
	unsigned int i;

	for (i = 0; i < n; i++) {
		EXPECT_EQ(-1, parse(t[i].text, &c, err, sizeof(err)));
		EXPECT_NE(NULL, strstr(err, t[i].want)) {
			TH_LOG("case %u: got '%s'", i, err);
		}
		config_free(&c);
	}
}

TEST(nemo_mn)
{
	struct mcoad_config c;
	char err[256];

	ASSERT_EQ(0, parse(MR_OK "mobile-network 2001:db8:1::/48\n"
			   "mobile-network 2001:db8:2:1::/64\n", &c, err,
			   sizeof(err)));
	EXPECT_TRUE(c.mobile_router);
	EXPECT_EQ(NEMO_EXPLICIT, c.nemo_mode);
	ASSERT_EQ(2, c.nmnps);
	EXPECT_EQ(48, c.mnps[0].plen);
	EXPECT_EQ(64, c.mnps[1].plen);
	EXPECT_EQ(0x01, c.mnps[1].addr.s6_addr[7]);
	ASSERT_EQ(0, parse(MR_OK "mobile-network 2001:db8:1::/48\n"
			   "nemo-mode implicit\n", &c, err, sizeof(err)));
	EXPECT_EQ(NEMO_IMPLICIT, c.nemo_mode);
	/* the default: a mobile node, not a router */
	ASSERT_EQ(0, parse(MN_OK "link if1\n", &c, err, sizeof(err)));
	EXPECT_FALSE(c.mobile_router);
	EXPECT_EQ(0, c.nmnps);
	ASSERT_EQ(0, parse(MN_OK "link if1\nmobile-router no\n", &c, err,
			   sizeof(err)));
	EXPECT_FALSE(c.mobile_router);
}

TEST(nemo_mn_errors_name_line)
{
	static const struct bad_file t[] = {
		{ MR_OK, "t.conf:6: mobile-router: yes needs at least one 'mobile-network" },
		{ MR_OK "mobile-network 2001:db8:1::1/48\n", "t.conf:7: mobile-network: 2001:db8:1::1/48 has host bits set" },
		{ MR_OK "mobile-network 2001:db8:1::/0\n", "t.conf:7: mobile-network: '0' is not a number in 1..128" },
		{ MR_OK "mobile-network 2001:db8:1::\n", "t.conf:7: mobile-network: '2001:db8:1::' needs a /prefix-length" },
		{ MR_OK "mobile-network 2001:db8:1::/48 x\n", "t.conf:7: mobile-network: expected one PREFIX/LEN" },
		{ MR_OK "mobile-network 2001:db8::/32\nmobile-network 2001:db8:1::/48\n",
		  "t.conf:8: mobile-network: 2001:db8:1::/48 overlaps 2001:db8::/32 (mobile-network, line 7)" },
		{ MR_OK "mobile-network fd00:1::/96\n", "t.conf:7: mobile-network: fd00:1::/96 overlaps fd00:1::/64 (home-prefix, line 3)" },
		{ MR_OK "mobile-network 2001:db8:1::/48\nnemo-mode both\n", "t.conf:8: nemo-mode: expected explicit or implicit, got 'both'" },
		{ MR_OK "mobile-router no\n", "t.conf:7: mobile-router: given twice (first at line 6)" },
		{ MN_OK "link if1\nmobile-router maybe\n", "t.conf:6: mobile-router: expected yes or no, got 'maybe'" },
		{ MN_OK "link if1\nmobile-network 2001:db8:1::/48\n", "t.conf:6: mobile-network: given without 'mobile-router yes'" },
		{ MN_OK "link if1\nnemo-mode implicit\n", "t.conf:6: nemo-mode: given without 'mobile-router yes'" },
		{ MN_OK "link if1\nmobile-router fd00:1::200 2001:db8::/48\n", "t.conf:6: mobile-router: HOA PREFIX/LEN... is for role ha" },
	};
	struct mcoad_config c;
	char err[256];
	unsigned int i;

	expect_errors(_metadata, t, sizeof(t) / sizeof(t[0]));
	/* more lines than a BU has room for */
	{
		char buf[1024];
		int n = snprintf(buf, sizeof(buf), "%s", MR_OK);

		for (i = 0; i <= CONFIG_MAX_MNPS; i++)
			n += snprintf(buf + n, sizeof(buf) - n,
				      "mobile-network 2001:db8:%x::/48\n", i + 1);
		EXPECT_EQ(-1, parse(buf, &c, err, sizeof(err)));
		EXPECT_NE(NULL, strstr(err, "t.conf:15: mobile-network: at most 8"));
	}
}

TEST(nemo_ha)
{
	struct mcoad_config c;
	char err[256];

	ASSERT_EQ(0, parse(HA_OK
			   "mobile-router fd00:1::200 2001:db8:1::/48 2001:db8:9::/64\n"
			   "mobile-router fd00:1::300 2001:db8:2::/48\n"
			   "mobile-router fd00:1::400 2001:db8:3::1/128\n",
			   &c, err, sizeof(err)));
	ASSERT_EQ(3, c.nmrs);
	EXPECT_EQ(2, c.mrs[0].nmnp);
	EXPECT_EQ(5, c.mrs[0].line);
	EXPECT_EQ(64, c.mrs[0].mnp[1].plen);
	EXPECT_EQ(0x09, c.mrs[0].mnp[1].addr.s6_addr[5]);
	EXPECT_EQ(1, c.mrs[1].nmnp);
	EXPECT_EQ(0x03, c.mrs[1].hoa.s6_addr[14]);
	config_free(&c);
	EXPECT_EQ(NULL, c.mrs);
	EXPECT_EQ(0, c.nmrs);
}

/* Bad mobile-router lines, and what the file as a whole must not do */
TEST(nemo_ha_errors_name_line)
{
	static const struct bad_file t[] = {
		{ HA_OK "mobile-router fd00:1::200\n", "t.conf:5: mobile-router: fd00:1::200 needs the PREFIX/LEN(s) it may claim" },
		{ HA_OK "mobile-router fd00:1::200 2001:db8:1::1/48\n", "t.conf:5: mobile-router: 2001:db8:1::1/48 has host bits set" },
		{ HA_OK "mobile-router fd00:1::200 2001:db8:1::/129\n", "t.conf:5: mobile-router: '129' is not a number in 1..128" },
		{ HA_OK "mobile-router fe80::1 2001:db8:1::/48\n", "t.conf:5: mobile-router: 'fe80::1' is not a global unicast address" },
		{ HA_OK "mobile-router fd00:2::1 2001:db8:1::/48\n", "t.conf:5: mobile-router: fd00:2::1 is outside home-prefix fd00:1::/64" },
		{ HA_OK "mobile-router fd00:1::1 2001:db8:1::/48\n", "t.conf:5: mobile-router: fd00:1::1 is the home-agent address" },
		{ HA_OK "mobile-router fd00:1::200 2001:db8:1::/48\nmobile-router fd00:1::200 2001:db8:2::/48\n",
		  "t.conf:6: mobile-router: fd00:1::200 given twice (first at line 5)" },
		{ HA_OK "mobile-router fd00:1::200 2001:db8:1::/48\nmobile-router fd00:1::300 2001:db8:1:5::1/128\n",
		  "t.conf:6: mobile-router: 2001:db8:1:5::1/128 overlaps 2001:db8:1::/48 (mobile-router, line 5)" },
		{ HA_OK "mobile-router fd00:1::200 2001:db8:1::/48 2001:db8:1::/48\n",
		  "t.conf:5: mobile-router: 2001:db8:1::/48 overlaps 2001:db8:1::/48 (mobile-router, line 5)" },
		{ HA_OK "mobile-router fd00:1::200 fd00::/16\n", "t.conf:5: mobile-router: fd00::/16 overlaps fd00:1::/64 (home-prefix, line 3)" },
		{ HA_OK "mobile-router yes\n", "t.conf:5: mobile-router: 'yes|no' is for role mn" },
		{ HA_OK "mobile-network 2001:db8:1::/48\n", "t.conf:5: mobile-network: is for role mn only" },
		{ HA_OK "nemo-mode explicit\n", "t.conf:5: nemo-mode: is for role mn only" },
		{ HA_OK "mobile-router\n", "t.conf:5: mobile-router: expected 'yes' or 'no' (role mn) or 'HOA PREFIX/LEN...' (role ha)" },
		{ HA_OK "mobile-router fd00:1::200 2001:db8:1::/48 2001:db8:2::/48 2001:db8:3::/48 2001:db8:4::/48 2001:db8:5::/48 2001:db8:6::/48 2001:db8:7::/48 2001:db8:8::/48 2001:db8:9::/48\n",
		  "t.conf:5: mobile-router: at most 8 prefixes per mobile router" },
	};

	expect_errors(_metadata, t, sizeof(t) / sizeof(t[0]));
}

/* Many routers: the checks sort rather than compare every pair */
TEST(nemo_ha_many_routers)
{
	enum { N = 5000 };
	size_t cap = N * 64 + 256, n;
	char *buf = malloc(cap), err[256];
	struct mcoad_config c;
	unsigned int i;

	ASSERT_NE(NULL, buf);
	n = snprintf(buf, cap, "%s", HA_OK);
	for (i = 0; i < N; i++)
		n += snprintf(buf + n, cap - n,
			      "mobile-router fd00:1::%x:%x 2001:db8:%x:%x::/64\n",
			      i / 0x10000 + 1, i % 0x10000, i / 0x10000 + 1,
			      i % 0x10000);
	n += snprintf(buf + n, cap - n, "ipsec no\n");
	ASSERT_EQ(0, parse_raw(buf, &c, err, sizeof(err))) {
		TH_LOG("%s", err);
	}
	EXPECT_EQ(N, c.nmrs);
	config_free(&c);
	free(buf);
}

/* per-CoA liveness probes (liveness.h): defaults, ranges, contradictions */
TEST(mn_probe)
{
	struct mcoad_config c;
	char err[256];

	ASSERT_EQ(0, parse(MN_OK "link if1\n", &c, err, sizeof(err)));
	EXPECT_TRUE(c.probe.on);
	EXPECT_EQ(500, c.probe.interval_ms);
	EXPECT_EQ(3, c.probe.misses);
	EXPECT_EQ(2, c.probe.recover);
	/* the defaults find a dead uplink within 3 s */
	EXPECT_LE((c.probe.misses + 1) * c.probe.interval_ms, 3000);
	ASSERT_EQ(0, parse(MN_OK "link if1\nprobe-interval 1000\nprobe-misses 2\n"
			   "probe-recover 5\n", &c, err, sizeof(err)))
		TH_LOG("got: %s", err);
	EXPECT_EQ(1000, c.probe.interval_ms);
	EXPECT_EQ(2, c.probe.misses);
	EXPECT_EQ(5, c.probe.recover);
	ASSERT_EQ(0, parse(MN_OK "link if1\nprobe no\n", &c, err, sizeof(err)));
	EXPECT_FALSE(c.probe.on);
	ASSERT_EQ(0, parse(MN_OK "link if1\nprobe yes\n", &c, err, sizeof(err)));
	EXPECT_TRUE(c.probe.on);
	ERR_AT(MN_OK "link if1\nprobe-interval 49\n",
	       "t.conf:6: probe-interval: '49' is not a number in 50..60000");
	ERR_AT(MN_OK "link if1\nprobe-interval 60001\n",
	       "t.conf:6: probe-interval: '60001' is not a number in 50..60000");
	ERR_AT(MN_OK "link if1\nprobe-interval 1s\n",
	       "t.conf:6: probe-interval: '1s' is not a number");
	ERR_AT(MN_OK "link if1\nprobe-misses 0\n",
	       "t.conf:6: probe-misses: '0' is not a number in 1..100");
	ERR_AT(MN_OK "link if1\nprobe-recover 101\n",
	       "t.conf:6: probe-recover: '101' is not a number in 1..100");
	ERR_AT(MN_OK "link if1\nprobe maybe\n",
	       "t.conf:6: probe: expected yes or no, got 'maybe'");
	ERR_AT(MN_OK "link if1\nprobe-misses 2\nprobe-misses 3\n",
	       "t.conf:7: probe-misses: given twice (first at line 6)");
	ERR_AT(MN_OK "link if1\nprobe-interval 300\nprobe no\n",
	       "t.conf:6: probe-interval: given with 'probe no' (line 7)");
	ERR_AT(HA_OK "probe-interval 300\n",
	       "t.conf:5: probe-interval: is for role mn only");
	ERR_AT(HA_OK "probe no\n", "t.conf:5: probe: is for role mn only");
}

TEST_HARNESS_MAIN
