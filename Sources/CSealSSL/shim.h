#ifndef CSEALSSL_SHIM_H
#define CSEALSSL_SHIM_H
/* OpenSSL 3 headers plus static-inline wrappers for the function-like macros Swift cannot import. */
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/cms.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/ocsp.h>
#include <openssl/params.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>
#include <openssl/provider.h>
#include <openssl/rand.h>
#include <openssl/rsa.h>
#include <openssl/ts.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>

static inline void CSealSSL_free(void *p) { OPENSSL_free(p); }
static inline long CSealSSL_BIO_get_mem_data(BIO *b, char **pp) { return BIO_get_mem_data(b, pp); }
static inline STACK_OF(X509) *CSealSSL_sk_X509_new_null(void) { return sk_X509_new_null(); }
static inline int CSealSSL_sk_X509_push(STACK_OF(X509) *sk, X509 *x) { return sk_X509_push(sk, x); }
static inline int CSealSSL_sk_X509_num(const STACK_OF(X509) *sk) { return sk_X509_num(sk); }
static inline X509 *CSealSSL_sk_X509_value(const STACK_OF(X509) *sk, int i) { return sk_X509_value(sk, i); }
static inline void CSealSSL_sk_X509_free(STACK_OF(X509) *sk) { sk_X509_free(sk); }
static inline void CSealSSL_sk_X509_pop_free(STACK_OF(X509) *sk) { sk_X509_pop_free(sk, X509_free); }

/* SealCrypto additions */
static inline unsigned long CSealSSL_XN_FLAG_RFC2253_UTF8(void) { return XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB; }
static inline void CSealSSL_ERR_clear(void) { ERR_clear_error(); }
static inline const unsigned char *CSealSSL_ASN1_STRING_data(const ASN1_STRING *s) { return ASN1_STRING_get0_data(s); }
static inline unsigned long CSealSSL_XKU_TIMESTAMP(void) { return XKU_TIMESTAMP; }
static inline unsigned long CSealSSL_EXFLAG_CA(void) { return EXFLAG_CA; }
static inline unsigned long CSealSSL_EXFLAG_BCONS(void) { return EXFLAG_BCONS; }
static inline unsigned long CSealSSL_EXFLAG_XKUSAGE(void) { return EXFLAG_XKUSAGE; }
static inline STACK_OF(X509) *CSealSSL_sk_X509_null(void) { return NULL; }
static inline int CSealSSL_EVP_PKEY_KEYPAIR(void) { return EVP_PKEY_KEYPAIR; }
static inline int CSealSSL_EVP_PKEY_PUBLIC_KEY(void) { return EVP_PKEY_PUBLIC_KEY; }

#endif
