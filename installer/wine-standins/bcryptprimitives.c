/* Stand-in for Windows' bcryptprimitives.dll, which wine 8.0 lacks; used only inside the build
 * and smoke-run wine prefixes, never shipped. The Rust standard library behind cryptography's
 * extension imports ProcessPrng from it; RtlGenRandom (advapi32 SystemFunction036) gives the same
 * kernel-backed random bytes. */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T length)
{
    while (length > 0) {
        ULONG chunk = length > 0x40000000 ? 0x40000000 : (ULONG)length;
        if (!SystemFunction036(data, chunk))
            return FALSE;
        data += chunk;
        length -= chunk;
    }
    return TRUE;
}

BOOL WINAPI DllMain(HINSTANCE instance, DWORD reason, LPVOID reserved)
{
    (void)instance; (void)reason; (void)reserved;
    return TRUE;
}
