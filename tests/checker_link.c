/* Links the checker with core and arrangement code only.  If src/check
 * ever calls LP or solver code, this program fails to link, which keeps
 * certificates checked by code that did not produce them. */
#include <stdio.h>
#include "xtrain/check.h"

int main(void)
{
    /* Taking the address keeps the linker from dropping the checker. */
    void (*volatile entry)(void) = (void (*)(void))xt_check_certificate_file;
    printf("checker links alone: %s\n", entry ? "yes" : "no");
    return entry ? 0 : 1;
}
