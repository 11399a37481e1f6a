/*
 * static-offline.c - linked into build/migdoctor-static only (make static).
 *
 * migdoctor asks one thing of OpenSSL: sha256. Yet libcrypto.a's EVP code
 * drags in its socket BIOs (EVP_MD_CTX_new -> ... -> BIO_new -> bio_sock.o,
 * bio_addr.o: getaddrinfo, gethostbyname, getnameinfo) and its DSO loader
 * (evp_fetch -> provider_core -> dso_dlfcn.o: dlopen). In a static glibc
 * binary these need, at run time, the NSS modules and ld.so of the very
 * glibc it was linked with; ld warns about it. The Makefile links with
 * -Wl,--wrap for each of them, so every reference lands here instead: the
 * calls fail at once, and the binary holds no path to NSS or dlopen on any
 * host. None is reached by migdoctor (main() also keeps OpenSSL from reading
 * openssl.cnf, the one way a provider or engine could be asked for).
 *
 * glibc's own dlopen (_dl_open, and the weak dlopen that comes with it) stays
 * in the binary: libc.a's gconv loads charset modules with it, and assert()
 * and sscanf() link gconv in (through gettext and mbrtowc). It is reached
 * only for a charset that is not built in, that is under a locale other than
 * "C" or through iconv_open(); migdoctor calls neither setlocale() nor
 * iconv_open(), so the locale stays "C" whatever LANG says, and the built-in
 * ASCII/UTF-8 conversions serve. tests/golden/static.sh runs it under strace
 * with LANG set and sees no .so, locale or gconv file opened.
 */
#include <dlfcn.h>
#include <netdb.h>
#include <stddef.h>

void *__wrap_dlopen(const char *file, int mode);
void *__wrap_dlsym(void *handle, const char *name);
int __wrap_dlclose(void *handle);
char *__wrap_dlerror(void);
int __wrap_dladdr(const void *addr, Dl_info *info);
int __wrap_getaddrinfo(const char *node, const char *service, const struct addrinfo *hints,
		       struct addrinfo **res);
void __wrap_freeaddrinfo(struct addrinfo *res);
const char *__wrap_gai_strerror(int code);
int __wrap_getnameinfo(const struct sockaddr *sa, socklen_t salen, char *host, socklen_t hostlen,
		       char *serv, socklen_t servlen, int flags);
struct hostent *__wrap_gethostbyname(const char *name);

static char no_dl[] = "migdoctor-static loads no shared objects";

void *__wrap_dlopen(const char *file, int mode)
{
	(void)file;
	(void)mode;
	return NULL;
}

void *__wrap_dlsym(void *handle, const char *name)
{
	(void)handle;
	(void)name;
	return NULL;
}

int __wrap_dlclose(void *handle)
{
	(void)handle;
	return -1;
}

char *__wrap_dlerror(void)
{
	return no_dl;
}

int __wrap_dladdr(const void *addr, Dl_info *info)
{
	(void)addr;
	(void)info;
	return 0;
}

int __wrap_getaddrinfo(const char *node, const char *service, const struct addrinfo *hints,
		       struct addrinfo **res)
{
	(void)node;
	(void)service;
	(void)hints;
	*res = NULL;
	return EAI_FAIL;
}

void __wrap_freeaddrinfo(struct addrinfo *res)
{
	(void)res; /* getaddrinfo above never returns a list */
}

const char *__wrap_gai_strerror(int code)
{
	(void)code;
	return "migdoctor-static resolves no names";
}

int __wrap_getnameinfo(const struct sockaddr *sa, socklen_t salen, char *host, socklen_t hostlen,
		       char *serv, socklen_t servlen, int flags)
{
	(void)sa;
	(void)salen;
	(void)host;
	(void)hostlen;
	(void)serv;
	(void)servlen;
	(void)flags;
	return EAI_FAIL;
}

struct hostent *__wrap_gethostbyname(const char *name)
{
	(void)name;
	h_errno = NO_RECOVERY;
	return NULL;
}
