/* Fuzzes the network reader (text format, and JSON when the input starts
 * with '{').  Oracle: an accepted network is written in both formats,
 * each is read back, and both copies equal the original. */
#include <gmp.h>
#include "fuzz_util.h"
#include "xtrain/network.h"

static int same_values(mpq_t *const a, mpq_t *const b, long count)
{
    for (long i = 0; i < count; i++)
        if (!mpq_equal(a[i], b[i]))
            return 0;
    return 1;
}

static void expect_same(const xt_network_t a, const xt_network_t b,
                        const char *how)
{
    XT_FUZZ_ASSERT(a->d == b->d && a->k == b->k && a->m == b->m,
                   "%s: shape %d/%d/%d became %d/%d/%d", how, a->d, a->k,
                   a->m, b->d, b->k, b->m);
    XT_FUZZ_ASSERT(a->activation == b->activation, "%s: activation", how);
    XT_FUZZ_ASSERT(a->threshold_output == b->threshold_output,
                   "%s: threshold output", how);
    XT_FUZZ_ASSERT(a->has_output_bias == b->has_output_bias,
                   "%s: output bias flag", how);
    XT_FUZZ_ASSERT(same_values(a->w, b->w, (long)a->k * a->d), "%s: w", how);
    XT_FUZZ_ASSERT(same_values(a->b, b->b, a->k), "%s: b", how);
    XT_FUZZ_ASSERT(same_values(a->a, b->a, (long)a->m * a->k), "%s: a", how);
    XT_FUZZ_ASSERT(same_values(a->c, b->c, a->m), "%s: c", how);
}

/* Writes net with writer, reads it back and compares. */
static void round_trip(const xt_network_t net,
                       void (*writer)(FILE *, const xt_network_t),
                       const char *how)
{
    char *text = NULL;
    size_t len = 0;
    FILE *stream = open_memstream(&text, &len);
    if (!stream)
        abort();
    writer(stream, net);
    fclose(stream);
    xt_network_t back;
    xt_network_init(back);
    xt_error_t err;
    xt_error_clear(&err);
    int rc = xt_network_read_text(back, text, len, how, &err);
    XT_FUZZ_ASSERT(rc == XT_OK, "%s rejected: %s", how, err.message);
    expect_same(net, back, how);
    xt_network_clear(back);
    free(text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > XT_FUZZ_MAX_INPUT)
        return 0;
    xt_network_t net;
    xt_network_init(net);
    xt_error_t err;
    xt_error_clear(&err);
    if (xt_network_read_text(net, (const char *)data, size, "fuzz",
                             &err) == XT_OK) {
        round_trip(net, xt_network_write, "text");
        round_trip(net, xt_network_write_json, "json");
    } else {
        XT_FUZZ_ASSERT(err.message[0] != '\0', "rejected without message");
    }
    xt_network_clear(net);
    return 0;
}
