/* Fuzzes the readers of real algebraic numbers: a number alone (a
 * rational or (root-obj POLY INDEX)) when the first byte is even, a
 * network file with such weights when it is odd.  Oracle: an accepted
 * number prints to text that parses back to an equal number, and an
 * accepted network is written and read back with the same weights. */
#include <gmp.h>
#include "fuzz_util.h"
#include "xtrain/smt.h"

static void fuzz_number(const char *text, size_t len)
{
    xt_algebraic_t a, back;
    xt_algebraic_init(a);
    xt_algebraic_init(back);
    xt_error_t err;
    xt_error_clear(&err);
    if (xt_algebraic_parse(a, text, len, &err) == XT_OK) {
        char *printed = xt_algebraic_to_string(a);
        XT_FUZZ_ASSERT(printed != NULL, "no text for an accepted number");
        int rc = xt_algebraic_parse(back, printed, strlen(printed), &err);
        XT_FUZZ_ASSERT(rc == XT_OK, "printed %.60s rejected: %s", printed,
                       err.message);
        XT_FUZZ_ASSERT(xt_algebraic_cmp(a, back) == 0,
                       "round trip changed %.60s", printed);
        free(printed);
    } else {
        XT_FUZZ_ASSERT(err.message[0] != '\0', "rejected without message");
    }
    xt_algebraic_clear(back);
    xt_algebraic_clear(a);
}

static int same_weights(const xt_algebraic_struct *a,
                        const xt_algebraic_struct *b, long count)
{
    for (long i = 0; i < count; i++)
        if (xt_algebraic_cmp(&a[i], &b[i]) != 0)
            return 0;
    return 1;
}

static void fuzz_network(const char *text)
{
    xt_algebraic_network_t net, back;
    xt_algebraic_network_init(net);
    xt_algebraic_network_init(back);
    xt_error_t err;
    xt_error_clear(&err);
    if (xt_algebraic_network_read_string(net, text, "fuzz", &err) ==
        XT_OK) {
        char *written = NULL;
        size_t len = 0;
        FILE *stream = open_memstream(&written, &len);
        if (!stream)
            abort();
        xt_algebraic_network_write(stream, net);
        fclose(stream);
        int rc = xt_algebraic_network_read_string(back, written, "written",
                                                  &err);
        XT_FUZZ_ASSERT(rc == XT_OK, "written network rejected: %s",
                       err.message);
        XT_FUZZ_ASSERT(back->d == net->d && back->k == net->k &&
                           back->m == net->m,
                       "shape changed");
        XT_FUZZ_ASSERT(same_weights(net->w, back->w, (long)net->k * net->d),
                       "w changed");
        XT_FUZZ_ASSERT(same_weights(net->b, back->b, net->k), "b changed");
        XT_FUZZ_ASSERT(same_weights(net->a, back->a, (long)net->m * net->k),
                       "a changed");
        XT_FUZZ_ASSERT(same_weights(net->c, back->c, net->m), "c changed");
        free(written);
    } else {
        XT_FUZZ_ASSERT(err.message[0] != '\0', "rejected without message");
    }
    xt_algebraic_network_clear(back);
    xt_algebraic_network_clear(net);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* Root isolation is slow for long polynomials, so inputs are kept
     * shorter than for the other readers. */
    if (size < 1 || size > 4096)
        return 0;
    char *text = xt_fuzz_string(data + 1, size - 1);
    if (data[0] % 2 == 0)
        fuzz_number(text, size - 1);
    else
        fuzz_network(text);
    free(text);
    return 0;
}
