/* A PKCS#11 module that shows one empty token, for the smoke run only: copied into the wine
 * prefix's System32 under a vendor's driver name, it lets `lienthong.exe sign --list-tokens` show
 * that the app searches the Windows driver locations and loads what it finds there. */
#include <string.h>
#include <windows.h>

#define CRYPTOKI_EXPORTS /* the header then packs the structures as Windows' PKCS#11 wants */
#include <p11-kit/pkcs11.h>

static void pad(unsigned char *field, size_t size, const char *text) {
    size_t n = strlen(text);
    memset(field, ' ', size);
    memcpy(field, text, n < size ? n : size);
}

static CK_RV not_supported(void) { return CKR_FUNCTION_NOT_SUPPORTED; }

static CK_RV fake_Initialize(void *args) { (void)args; return CKR_OK; }
static CK_RV fake_Finalize(void *reserved) { (void)reserved; return CKR_OK; }

static CK_RV fake_GetInfo(CK_INFO *info) {
    memset(info, 0, sizeof *info);
    info->cryptokiVersion.major = 2;
    info->cryptokiVersion.minor = 40;
    pad(info->manufacturerID, sizeof info->manufacturerID, "Lien Thong smoke run");
    pad(info->libraryDescription, sizeof info->libraryDescription, "fake token driver");
    return CKR_OK;
}

static CK_RV fake_GetSlotList(CK_BBOOL present, CK_SLOT_ID *list, CK_ULONG *count) {
    (void)present;
    if (list != NULL) {
        if (*count < 1) { *count = 1; return CKR_BUFFER_TOO_SMALL; }
        list[0] = 1;
    }
    *count = 1;
    return CKR_OK;
}

static CK_RV fake_GetSlotInfo(CK_SLOT_ID slot, CK_SLOT_INFO *info) {
    if (slot != 1) return CKR_SLOT_ID_INVALID;
    memset(info, 0, sizeof *info);
    pad(info->slotDescription, sizeof info->slotDescription, "smoke reader");
    pad(info->manufacturerID, sizeof info->manufacturerID, "Lien Thong smoke run");
    info->flags = CKF_TOKEN_PRESENT | CKF_HW_SLOT | CKF_REMOVABLE_DEVICE;
    return CKR_OK;
}

static CK_RV fake_GetTokenInfo(CK_SLOT_ID slot, CK_TOKEN_INFO *info) {
    if (slot != 1) return CKR_SLOT_ID_INVALID;
    memset(info, 0, sizeof *info);
    pad(info->label, sizeof info->label, "SMOKE TOKEN");
    pad(info->manufacturerID, sizeof info->manufacturerID, "Lien Thong smoke run");
    pad(info->model, sizeof info->model, "fake");
    pad(info->serialNumber, sizeof info->serialNumber, "0001");
    pad(info->utcTime, sizeof info->utcTime, "");
    info->flags = CKF_TOKEN_INITIALIZED | CKF_LOGIN_REQUIRED | CKF_USER_PIN_INITIALIZED;
    info->ulMaxPinLen = 16;
    info->ulMinPinLen = 4;
    return CKR_OK;
}

static CK_RV fake_OpenSession(CK_SLOT_ID slot, CK_FLAGS flags, void *app, CK_NOTIFY notify,
                              CK_SESSION_HANDLE *session) {
    (void)flags; (void)app; (void)notify;
    if (slot != 1) return CKR_SLOT_ID_INVALID;
    *session = 1;
    return CKR_OK;
}
static CK_RV fake_CloseSession(CK_SESSION_HANDLE s) { (void)s; return CKR_OK; }
static CK_RV fake_CloseAllSessions(CK_SLOT_ID slot) { (void)slot; return CKR_OK; }
static CK_RV fake_FindObjectsInit(CK_SESSION_HANDLE s, CK_ATTRIBUTE *t, CK_ULONG n) {
    (void)s; (void)t; (void)n; return CKR_OK;
}
static CK_RV fake_FindObjects(CK_SESSION_HANDLE s, CK_OBJECT_HANDLE *o, CK_ULONG max, CK_ULONG *n) {
    (void)s; (void)o; (void)max; *n = 0; return CKR_OK;
}
static CK_RV fake_FindObjectsFinal(CK_SESSION_HANDLE s) { (void)s; return CKR_OK; }
static CK_RV fake_GetMechanismList(CK_SLOT_ID slot, CK_MECHANISM_TYPE *list, CK_ULONG *count) {
    (void)slot; (void)list; *count = 0; return CKR_OK;
}

static CK_FUNCTION_LIST functions;

CK_RV C_GetFunctionList(CK_FUNCTION_LIST **out) {
    void *fallback = (void *)not_supported;
    unsigned char *slots = (unsigned char *)&functions + sizeof(CK_VERSION);
    size_t count = (sizeof functions - sizeof(CK_VERSION)) / sizeof(void *), i;
    for (i = 0; i < count; i++)
        memcpy(slots + i * sizeof(void *), &fallback, sizeof fallback);
    functions.version.major = 2;
    functions.version.minor = 40;
    functions.C_Initialize = (CK_C_Initialize)fake_Initialize;
    functions.C_Finalize = (CK_C_Finalize)fake_Finalize;
    functions.C_GetInfo = fake_GetInfo;
    functions.C_GetFunctionList = C_GetFunctionList;
    functions.C_GetSlotList = fake_GetSlotList;
    functions.C_GetSlotInfo = fake_GetSlotInfo;
    functions.C_GetTokenInfo = fake_GetTokenInfo;
    functions.C_GetMechanismList = fake_GetMechanismList;
    functions.C_OpenSession = fake_OpenSession;
    functions.C_CloseSession = fake_CloseSession;
    functions.C_CloseAllSessions = fake_CloseAllSessions;
    functions.C_FindObjectsInit = fake_FindObjectsInit;
    functions.C_FindObjects = fake_FindObjects;
    functions.C_FindObjectsFinal = fake_FindObjectsFinal;
    *out = &functions;
    return CKR_OK;
}

BOOL WINAPI DllMain(HINSTANCE instance, DWORD reason, LPVOID reserved) {
    (void)instance; (void)reason; (void)reserved;
    return TRUE;
}
