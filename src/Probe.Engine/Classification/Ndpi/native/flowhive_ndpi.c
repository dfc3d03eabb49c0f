/*
 * flowhive_ndpi.c - Flowhive's thin shim between the probe (C#, P/Invoke) and the system's libndpi.
 *
 * Why a shim at all: nDPI's ABI is not stable. struct ndpi_flow_struct (which the caller allocates),
 * ndpi_protocol and the places where results live (host_server_name, protos.tls_quic.ja3_client, http.url...)
 * change size and layout between releases. Compiled against the installed headers, this file is the only
 * code that knows that layout: it allocates flows of the right size, calls nDPI, and copies results into
 * fh_result, a plain struct of our own whose layout the managed side checks at start (fh_result_size,
 * FH_SHIM_ABI). The managed side also compares the library's version and API number with the ones this
 * file was compiled against before anything else runs (fh_check_runtime).
 *
 * Threading: a detection module is used by one thread at a time (one per flow worker). Creating and
 * destroying modules must be serialised by the caller: ndpi_init_detection_module touches process-wide
 * state (libgcrypt, bigram tables).
 *
 * Input safety: fh_flow_process hands nDPI exactly the captured bytes of one IP packet, with their length;
 * it never reads past them itself. See NdpiClassifier.cs for what that does and does not protect against.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <stdio.h>
#include <arpa/inet.h>
#include <netinet/in.h>

#include <ndpi/ndpi_config.h>
#include <ndpi/ndpi_api.h>

/* Bumped whenever fh_result or a function signature below changes; NdpiNative.cs checks it. */
#define FH_SHIM_ABI 1

#define FH_EXPORT __attribute__((visibility("default")))

/* fh_result.kind: which families of fields are meaningful, decided here from nDPI's own protocol ids. */
#define FH_KIND_TLS 0x01
#define FH_KIND_HTTP 0x02
#define FH_KIND_DNS 0x04
#define FH_KIND_SSH 0x08
#define FH_KIND_DHCP 0x10
#define FH_KIND_NAME 0x20 /* NetBIOS, mDNS, LLMNR: host_server_name is a host name */

/* fh_result.flags */
#define FH_FLAG_GUESSED 0x01      /* ndpi_detection_giveup guessed the protocol */
#define FH_FLAG_SELF_SIGNED 0x02  /* NDPI_TLS_SELFSIGNED_CERTIFICATE risk */

/* fh_flow_process return bits */
#define FH_DETECTED 0x01          /* nDPI has an application protocol */
#define FH_EXTRA_POSSIBLE 0x02    /* and more packets could add information (certificate, response...) */

/*
 * Results of one flow. Integers first (no padding holes), then NUL-terminated strings, truncated to
 * their buffer. Mirrored field for field by NdpiResult in NdpiNative.cs.
 */
typedef struct {
  uint64_t risk;
  uint32_t tls_not_before, tls_not_after;
  uint16_t master, app, category;
  uint16_t tls_version, tls_cipher;
  uint16_t http_status;
  uint16_t dns_query_type;
  uint8_t confidence;
  uint8_t dns_reply_code;
  uint8_t kind;
  uint8_t flags;
  uint8_t reserved[6];
  char proto_name[64];
  char host[96];
  char ja3_client[36];
  char ja3_server[36];
  char http_method[16];
  char http_url[256];
  char http_user_agent[256];
  char http_content_type[128];
  char tls_alpn[128];
  char tls_issuer[256];
  char tls_subject[256];
  char ssh_client[48];
  char ssh_server[48];
  char hassh_client[36];
  char hassh_server[36];
  char dhcp_class[48];
  char dns_answer[48];
} fh_result;

_Static_assert(sizeof(fh_result) == 1832, "fh_result layout changed: update NdpiResult and FH_SHIM_ABI");

/* A flow under inspection: the last answer nDPI gave, then nDPI's own flow state (sized by the headers). */
typedef struct {
  ndpi_protocol proto;
  struct ndpi_flow_struct ndpi;
} fh_flow;

/* A NUL-terminated string nDPI allocated (may be NULL), truncated to dst. */
static void copy_str(char *dst, size_t size, const char *src) {
  if(src == NULL) {
    dst[0] = '\0';
    return;
  }

  snprintf(dst, size, "%s", src);
}

/* A string in one of nDPI's fixed arrays: never read past the array, even if it holds no NUL. */
static void copy_array(char *dst, size_t size, const char *src, size_t src_size) {
  size_t len = strnlen(src, src_size);

  if(len >= size)
    len = size - 1;
  memcpy(dst, src, len);
  dst[len] = '\0';
}

#define COPY_ARRAY(dst, src) copy_array((dst), sizeof(dst), (src), sizeof(src))

/* ---------------------------------------------------------------- version and layout */

FH_EXPORT int fh_shim_abi(void) { return FH_SHIM_ABI; }

FH_EXPORT int fh_result_size(void) { return (int)sizeof(fh_result); }

FH_EXPORT const char *fh_built_against(void) { return NDPI_GIT_RELEASE; }

FH_EXPORT const char *fh_runtime_revision(void) { return ndpi_revision(); }

FH_EXPORT int fh_built_major(void) { return NDPI_MAJOR; }

FH_EXPORT int fh_built_minor(void) { return NDPI_MINOR; }

/*
 * 0 when the loaded library is the one these headers describe: same API number and the same flow struct
 * size (a mismatch means memory corruption on the first packet, so refuse before that).
 */
FH_EXPORT int fh_check_runtime(char *err, int errlen) {
  if(ndpi_get_api_version() != NDPI_API_VERSION) {
    snprintf(err, errlen, "libndpi API version %u, but the shim was built against %u (headers of nDPI %s)",
             (unsigned)ndpi_get_api_version(), (unsigned)NDPI_API_VERSION, NDPI_GIT_RELEASE);
    return -1;
  }

  if(ndpi_detection_get_sizeof_ndpi_flow_struct() != sizeof(struct ndpi_flow_struct)) {
    snprintf(err, errlen, "libndpi flow struct is %u bytes, but the headers the shim was built with say %zu",
             (unsigned)ndpi_detection_get_sizeof_ndpi_flow_struct(), sizeof(struct ndpi_flow_struct));
    return -1;
  }

  return 0;
}

FH_EXPORT uint32_t fh_flow_size(void) { return (uint32_t)sizeof(fh_flow); }

FH_EXPORT int fh_num_categories(void) { return NDPI_PROTOCOL_NUM_CATEGORIES; }

FH_EXPORT int fh_num_risks(void) { return NDPI_MAX_RISK; }

FH_EXPORT int fh_num_confidences(void) { return NDPI_CONFIDENCE_MAX; }

FH_EXPORT int fh_first_custom_category(void) { return NDPI_PROTOCOL_CATEGORY_CUSTOM_1; }

FH_EXPORT const char *fh_confidence_name(int confidence) {
  return ndpi_confidence_get_name((ndpi_confidence_t)confidence);
}

FH_EXPORT const char *fh_risk_name(int risk) { return ndpi_risk2str((ndpi_risk_enum)risk); }

/* ---------------------------------------------------------------- modules */

/* Step 1: a module with every dissector on, as ndpiReader sets it up; rules can be loaded until finalize. */
FH_EXPORT struct ndpi_detection_module_struct *fh_module_new(void) {
  struct ndpi_detection_module_struct *mod = ndpi_init_detection_module(ndpi_no_prefs);
  NDPI_PROTOCOL_BITMASK all;

  if(mod == NULL)
    return NULL;

  NDPI_BITMASK_SET_ALL(all);
  ndpi_set_protocol_detection_bitmask2(mod, &all);
  return mod;
}

/* nDPI's own loader for ntopng/nDPI protocol files (host:"x"@Proto, ip:1.2.3.4/32@Proto, tcp:8080@Proto). */
FH_EXPORT int fh_module_load_protocols(struct ndpi_detection_module_struct *mod, const char *path) {
  return ndpi_load_protocols_file(mod, path);
}

/* One host name (substring rule) or IP/CIDR into a category; effective after fh_module_finalize. */
FH_EXPORT int fh_module_load_category(struct ndpi_detection_module_struct *mod, const char *host_or_ip, int category) {
  return ndpi_load_category(mod, host_or_ip, (ndpi_protocol_category_t)category);
}

FH_EXPORT void fh_module_finalize(struct ndpi_detection_module_struct *mod) {
  ndpi_enable_loaded_categories(mod);
  ndpi_finalize_initialization(mod);
}

FH_EXPORT void fh_module_free(struct ndpi_detection_module_struct *mod) {
  if(mod != NULL)
    ndpi_exit_detection_module(mod);
}

FH_EXPORT uint32_t fh_num_protocols(struct ndpi_detection_module_struct *mod) {
  return ndpi_get_num_supported_protocols(mod);
}

FH_EXPORT const char *fh_protocol_name(struct ndpi_detection_module_struct *mod, int id) {
  return ndpi_get_proto_name(mod, (u_int16_t)id);
}

FH_EXPORT int fh_protocol_category(struct ndpi_detection_module_struct *mod, int id) {
  ndpi_protocol p = { NDPI_PROTOCOL_UNKNOWN, (u_int16_t)id, NDPI_PROTOCOL_CATEGORY_UNSPECIFIED };
  return (int)ndpi_get_proto_category(mod, p);
}

FH_EXPORT const char *fh_category_name(struct ndpi_detection_module_struct *mod, int category) {
  return ndpi_category_get_name(mod, (ndpi_protocol_category_t)category);
}

/* ---------------------------------------------------------------- flows */

FH_EXPORT fh_flow *fh_flow_new(void) { return (fh_flow *)calloc(1, sizeof(fh_flow)); }

/* Frees what nDPI allocated inside the flow and zeroes it for the next one (flows are pooled). */
FH_EXPORT void fh_flow_reset(fh_flow *f) {
  ndpi_free_flow_data(&f->ndpi);
  memset(f, 0, sizeof(*f));
}

FH_EXPORT void fh_flow_free(fh_flow *f) {
  if(f != NULL) {
    ndpi_free_flow_data(&f->ndpi);
    free(f);
  }
}

/*
 * Feeds one IP packet (ip points at the IP header, len = captured bytes from there on). Returns
 * FH_DETECTED | FH_EXTRA_POSSIBLE as ndpiReader reads them to decide whether to go on.
 */
FH_EXPORT int fh_flow_process(struct ndpi_detection_module_struct *mod, fh_flow *f, const uint8_t *ip, uint16_t len,
                              uint64_t time_ms) {
  int rc = 0;

  f->proto = ndpi_detection_process_packet(mod, &f->ndpi, ip, len, time_ms);
  if(f->proto.app_protocol != NDPI_PROTOCOL_UNKNOWN) {
    rc |= FH_DETECTED;
    if(ndpi_extra_dissection_possible(mod, &f->ndpi))
      rc |= FH_EXTRA_POSSIBLE;
  }

  return rc;
}

static int is_proto(const ndpi_protocol *p, u_int16_t id) { return p->master_protocol == id || p->app_protocol == id; }

/*
 * Final verdict and what nDPI learnt. As ndpiReader: a flow whose detection did not complete (or completed
 * without an application protocol) goes through ndpi_detection_giveup with guessing on (port / IP guesses,
 * TLS with a ClientHello seen, STUN, caches).
 */
FH_EXPORT void fh_flow_finish(struct ndpi_detection_module_struct *mod, fh_flow *f, int completed, fh_result *r) {
  struct ndpi_flow_struct *n = &f->ndpi;
  u_int8_t guessed = 0;

  memset(r, 0, sizeof(*r));
  if(!completed || f->proto.app_protocol == NDPI_PROTOCOL_UNKNOWN)
    f->proto = ndpi_detection_giveup(mod, n, 1, &guessed);

  r->master = f->proto.master_protocol;
  r->app = f->proto.app_protocol;
  r->category = (uint16_t)f->proto.category;
  r->confidence = (uint8_t)n->confidence;
  r->risk = n->risk;
  if(guessed)
    r->flags |= FH_FLAG_GUESSED;
  if(n->risk & (1ULL << NDPI_TLS_SELFSIGNED_CERTIFICATE))
    r->flags |= FH_FLAG_SELF_SIGNED;

  ndpi_protocol2name(mod, f->proto, r->proto_name, sizeof(r->proto_name));
  COPY_ARRAY(r->host, n->host_server_name);

  /*
   * n->protos is a union: it is read only for the protocol that owns it, and its pointers (TLS strings) only
   * for the protocols nDPI itself frees them for (ndpi_free_flow_data). Any other reading would take another
   * dissector's bytes for pointers.
   */
  if(is_proto(&f->proto, NDPI_PROTOCOL_DNS) || is_proto(&f->proto, NDPI_PROTOCOL_MDNS) ||
     is_proto(&f->proto, NDPI_PROTOCOL_LLMNR)) {
    r->kind |= is_proto(&f->proto, NDPI_PROTOCOL_DNS) ? FH_KIND_DNS : FH_KIND_NAME;
    r->dns_query_type = n->protos.dns.query_type;
    r->dns_reply_code = n->protos.dns.reply_code;
    if(n->protos.dns.rsp_type == 1 /* A */)
      inet_ntop(AF_INET, &n->protos.dns.rsp_addr.ipv4, r->dns_answer, sizeof(r->dns_answer));
    else if(n->protos.dns.rsp_type == 28 /* AAAA */)
      inet_ntop(AF_INET6, &n->protos.dns.rsp_addr.ipv6, r->dns_answer, sizeof(r->dns_answer));
  } else if(is_proto(&f->proto, NDPI_PROTOCOL_NETBIOS)) {
    r->kind |= FH_KIND_NAME;
  } else if(is_proto(&f->proto, NDPI_PROTOCOL_DHCP)) {
    r->kind |= FH_KIND_DHCP;
    COPY_ARRAY(r->dhcp_class, n->protos.dhcp.class_ident);
  } else if(is_proto(&f->proto, NDPI_PROTOCOL_SSH)) {
    r->kind |= FH_KIND_SSH;
    COPY_ARRAY(r->ssh_client, n->protos.ssh.client_signature);
    COPY_ARRAY(r->ssh_server, n->protos.ssh.server_signature);
    COPY_ARRAY(r->hassh_client, n->protos.ssh.hassh_client);
    COPY_ARRAY(r->hassh_server, n->protos.ssh.hassh_server);
  } else if(is_proto(&f->proto, NDPI_PROTOCOL_TLS) || is_proto(&f->proto, NDPI_PROTOCOL_QUIC) ||
            is_proto(&f->proto, NDPI_PROTOCOL_DTLS) || is_proto(&f->proto, NDPI_PROTOCOL_MAIL_SMTPS) ||
            is_proto(&f->proto, NDPI_PROTOCOL_MAIL_POPS) || is_proto(&f->proto, NDPI_PROTOCOL_MAIL_IMAPS)) {
    r->kind |= FH_KIND_TLS;
    r->tls_version = n->protos.tls_quic.ssl_version;
    r->tls_cipher = n->protos.tls_quic.server_cipher;
    r->tls_not_before = n->protos.tls_quic.notBefore;
    r->tls_not_after = n->protos.tls_quic.notAfter;
    COPY_ARRAY(r->ja3_client, n->protos.tls_quic.ja3_client);
    COPY_ARRAY(r->ja3_server, n->protos.tls_quic.ja3_server);
    copy_str(r->tls_alpn, sizeof(r->tls_alpn), n->protos.tls_quic.alpn);
    copy_str(r->tls_issuer, sizeof(r->tls_issuer), n->protos.tls_quic.issuerDN);
    copy_str(r->tls_subject, sizeof(r->tls_subject), n->protos.tls_quic.subjectDN);
  }

  /* HTTP fields live outside the union: HTTP carries many sub-protocols (HTTP.Google...). */
  if(is_proto(&f->proto, NDPI_PROTOCOL_HTTP) || is_proto(&f->proto, NDPI_PROTOCOL_HTTP_PROXY) ||
     is_proto(&f->proto, NDPI_PROTOCOL_HTTP_CONNECT) || n->http.url != NULL) {
    r->kind |= FH_KIND_HTTP;
    r->http_status = n->http.response_status_code;
    if(n->http.method != NDPI_HTTP_METHOD_UNKNOWN)
      copy_str(r->http_method, sizeof(r->http_method), ndpi_http_method2str(n->http.method));
    copy_str(r->http_url, sizeof(r->http_url), n->http.url);
    copy_str(r->http_content_type, sizeof(r->http_content_type), n->http.content_type);
  }

  /* The user agent is also set by QUIC (from its transport parameters). */
  copy_str(r->http_user_agent, sizeof(r->http_user_agent), n->http.user_agent);
}
