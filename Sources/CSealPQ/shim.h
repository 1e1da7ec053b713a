#ifndef CSEALPQ_SHIM_H
#define CSEALPQ_SHIM_H
#include <libpq-fe.h>
#endif
