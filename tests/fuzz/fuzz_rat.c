/* Fuzzes the rational-number parser.  Oracle: whatever is accepted
 * prints canonically, and the printed text parses back to the same
 * value. */
#include <gmp.h>
#include "fuzz_util.h"
#include "xtrain/rat.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > XT_FUZZ_MAX_INPUT)
        return 0;
    mpq_t q, back;
    mpq_inits(q, back, NULL);
    if (xt_rat_parse_n(q, (const char *)data, size) == 0) {
        char *text = xt_rat_to_string(q);
        XT_FUZZ_ASSERT(text != NULL, "no text for an accepted number");
        XT_FUZZ_ASSERT(xt_rat_parse(back, text) == 0,
                       "canonical text %.60s is rejected", text);
        XT_FUZZ_ASSERT(mpq_equal(q, back), "round trip changed %.60s",
                       text);
        free(text);
    } else {
        XT_FUZZ_ASSERT(mpq_sgn(q) == 0, "a rejected number left a value");
    }
    mpq_clears(q, back, NULL);
    return 0;
}
