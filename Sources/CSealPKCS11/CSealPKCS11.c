#include "CSealPKCS11.h"

CK_RV csealpkcs11_get_function_list(void *symbol, CK_FUNCTION_LIST **list) {
    return ((CK_C_GetFunctionList)symbol)(list);
}
