// SealPress's own minimal declarations of the PKCS#11 (Cryptoki) v2.40 binary interface: only the scalar
// types, the structures and the function-list layout that SealPKCS11 uses. Written for SealPress from the
// specification's facts (type widths, structure member order, function-list order); not a copy of any
// published header. On Unix the structures are not packed (natural alignment), CK_ULONG is `unsigned long`.
//
// Functions SealPress never calls are declared as untyped `void *` slots: only their position matters.
#ifndef CSEALPKCS11_H
#define CSEALPKCS11_H

typedef unsigned char CK_BYTE;
typedef unsigned char CK_BBOOL;
typedef unsigned long CK_ULONG;
typedef CK_ULONG CK_RV;
typedef CK_ULONG CK_FLAGS;
typedef CK_ULONG CK_SLOT_ID;
typedef CK_ULONG CK_SESSION_HANDLE;
typedef CK_ULONG CK_OBJECT_HANDLE;
typedef CK_ULONG CK_ATTRIBUTE_TYPE;
typedef CK_ULONG CK_MECHANISM_TYPE;
typedef CK_ULONG CK_USER_TYPE;

typedef struct CK_VERSION {
    CK_BYTE major;
    CK_BYTE minor;
} CK_VERSION;

/// C_Initialize's argument: no mutex callbacks, CKF_OS_LOCKING_OK in flags.
typedef struct CK_C_INITIALIZE_ARGS {
    void *CreateMutex;
    void *DestroyMutex;
    void *LockMutex;
    void *UnlockMutex;
    CK_FLAGS flags;
    void *pReserved;
} CK_C_INITIALIZE_ARGS;

/// Fixed-width, blank-padded text fields (not NUL-terminated).
typedef struct CK_TOKEN_INFO {
    CK_BYTE label[32];
    CK_BYTE manufacturerID[32];
    CK_BYTE model[16];
    CK_BYTE serialNumber[16];
    CK_FLAGS flags;
    CK_ULONG ulMaxSessionCount;
    CK_ULONG ulSessionCount;
    CK_ULONG ulMaxRwSessionCount;
    CK_ULONG ulRwSessionCount;
    CK_ULONG ulMaxPinLen;
    CK_ULONG ulMinPinLen;
    CK_ULONG ulTotalPublicMemory;
    CK_ULONG ulFreePublicMemory;
    CK_ULONG ulTotalPrivateMemory;
    CK_ULONG ulFreePrivateMemory;
    CK_VERSION hardwareVersion;
    CK_VERSION firmwareVersion;
    CK_BYTE utcTime[16];
} CK_TOKEN_INFO;

typedef struct CK_ATTRIBUTE {
    CK_ATTRIBUTE_TYPE type;
    void *pValue;
    CK_ULONG ulValueLen;
} CK_ATTRIBUTE;

typedef struct CK_MECHANISM {
    CK_MECHANISM_TYPE mechanism;
    void *pParameter;
    CK_ULONG ulParameterLen;
} CK_MECHANISM;

typedef struct CK_RSA_PKCS_PSS_PARAMS {
    CK_MECHANISM_TYPE hashAlg;
    CK_ULONG mgf;
    CK_ULONG sLen;
} CK_RSA_PKCS_PSS_PARAMS;

typedef CK_RV (*CK_C_Initialize)(void *pInitArgs);
typedef CK_RV (*CK_C_Finalize)(void *pReserved);
typedef CK_RV (*CK_C_GetSlotList)(CK_BBOOL tokenPresent, CK_SLOT_ID *pSlotList, CK_ULONG *pulCount);
typedef CK_RV (*CK_C_GetTokenInfo)(CK_SLOT_ID slotID, CK_TOKEN_INFO *pInfo);
typedef CK_RV (*CK_C_OpenSession)(CK_SLOT_ID slotID, CK_FLAGS flags, void *pApplication, void *notify,
                                  CK_SESSION_HANDLE *phSession);
typedef CK_RV (*CK_C_CloseSession)(CK_SESSION_HANDLE hSession);
typedef CK_RV (*CK_C_CloseAllSessions)(CK_SLOT_ID slotID);
typedef CK_RV (*CK_C_Login)(CK_SESSION_HANDLE hSession, CK_USER_TYPE userType, CK_BYTE *pPin, CK_ULONG ulPinLen);
typedef CK_RV (*CK_C_GetAttributeValue)(CK_SESSION_HANDLE hSession, CK_OBJECT_HANDLE hObject,
                                        CK_ATTRIBUTE *pTemplate, CK_ULONG ulCount);
typedef CK_RV (*CK_C_FindObjectsInit)(CK_SESSION_HANDLE hSession, CK_ATTRIBUTE *pTemplate, CK_ULONG ulCount);
typedef CK_RV (*CK_C_FindObjects)(CK_SESSION_HANDLE hSession, CK_OBJECT_HANDLE *phObject, CK_ULONG ulMaxObjectCount,
                                  CK_ULONG *pulObjectCount);
typedef CK_RV (*CK_C_FindObjectsFinal)(CK_SESSION_HANDLE hSession);
typedef CK_RV (*CK_C_SignInit)(CK_SESSION_HANDLE hSession, CK_MECHANISM *pMechanism, CK_OBJECT_HANDLE hKey);
typedef CK_RV (*CK_C_Sign)(CK_SESSION_HANDLE hSession, CK_BYTE *pData, CK_ULONG ulDataLen, CK_BYTE *pSignature,
                           CK_ULONG *pulSignatureLen);

/// The function list a module hands out from C_GetFunctionList: the interface version, then 68 entry points in
/// the order the specification fixes.
typedef struct CK_FUNCTION_LIST {
    CK_VERSION version;
    CK_C_Initialize C_Initialize;                // 0
    CK_C_Finalize C_Finalize;                    // 1
    void *C_GetInfo;                             // 2
    void *C_GetFunctionList;                     // 3
    CK_C_GetSlotList C_GetSlotList;              // 4
    void *C_GetSlotInfo;                         // 5
    CK_C_GetTokenInfo C_GetTokenInfo;            // 6
    void *C_GetMechanismList;                    // 7
    void *C_GetMechanismInfo;                    // 8
    void *C_InitToken;                           // 9
    void *C_InitPIN;                             // 10
    void *C_SetPIN;                              // 11
    CK_C_OpenSession C_OpenSession;              // 12
    CK_C_CloseSession C_CloseSession;            // 13
    CK_C_CloseAllSessions C_CloseAllSessions;    // 14
    void *C_GetSessionInfo;                      // 15
    void *C_GetOperationState;                   // 16
    void *C_SetOperationState;                   // 17
    CK_C_Login C_Login;                          // 18
    void *C_Logout;                              // 19
    void *C_CreateObject;                        // 20
    void *C_CopyObject;                          // 21
    void *C_DestroyObject;                       // 22
    void *C_GetObjectSize;                       // 23
    CK_C_GetAttributeValue C_GetAttributeValue;  // 24
    void *C_SetAttributeValue;                   // 25
    CK_C_FindObjectsInit C_FindObjectsInit;      // 26
    CK_C_FindObjects C_FindObjects;              // 27
    CK_C_FindObjectsFinal C_FindObjectsFinal;    // 28
    void *encryptAndDecrypt[8];                  // 29-36: Encrypt{Init,,Update,Final}, Decrypt{Init,,Update,Final}
    void *digest[5];                             // 37-41: DigestInit, Digest, DigestUpdate, DigestKey, DigestFinal
    CK_C_SignInit C_SignInit;                    // 42
    CK_C_Sign C_Sign;                            // 43
    void *rest[24];                              // 44-67: SignUpdate … WaitForSlotEvent
} CK_FUNCTION_LIST;

typedef CK_RV (*CK_C_GetFunctionList)(CK_FUNCTION_LIST **ppFunctionList);

/// Calls a module's C_GetFunctionList found with dlsym (keeps the function-pointer cast in C).
CK_RV csealpkcs11_get_function_list(void *symbol, CK_FUNCTION_LIST **list);

#endif
