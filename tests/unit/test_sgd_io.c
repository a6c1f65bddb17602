/* Lossless save and load of double networks, export to the exact network
 * format, mask files, and the random generator. */
#include <float.h>
#include <math.h>
#include "xt_test.h"
#include "xtrain/sgd.h"

/* Writes net with xt_sgd_network_write and returns the text (malloc'd). */
static char *write_to_string(void (*writer)(FILE *, const void *),
                             const void *net)
{
    FILE *f = tmpfile();
    writer(f, net);
    long len = ftell(f);
    rewind(f);
    char *text = malloc((size_t)len + 1);
    size_t got = fread(text, 1, (size_t)len, f);
    text[got] = 0;
    fclose(f);
    return text;
}

static void write_sgd(FILE *f, const void *net)
{
    xt_sgd_network_write(f, (const xt_sgd_network_struct *)net);
}

static void write_exact(FILE *f, const void *net)
{
    xt_network_write(f, (const xt_network_struct *)net);
}

/* Weights that a decimal writer with too few digits would change. */
static const double hard_values[] = {
    0.1, -1.0 / 3.0, 0x1.fffffffffffffp+1023, DBL_MIN, 4.9e-324,
    -0.0, 1e-310, 123456789.123456789, 2.0 / 3.0, -7.0, 0.0, 1e300,
};

static void fill_network(xt_sgd_network_t net, uint64_t *state, int bias)
{
    xt_sgd_network_resize(net, 3, 2, 2, bias, NULL);
    size_t hard = sizeof hard_values / sizeof *hard_values;
    for (size_t i = 0; i < net->count; i++) {
        uint64_t bits = xt_test_rand(state);
        double v;
        memcpy(&v, &bits, sizeof v);
        if (i < hard)
            v = hard_values[i];
        else if (!isfinite(v))
            v = (double)(bits >> 11) * 0x1p-40;
        net->param[i] = v;
    }
}

static int same_bits(const xt_sgd_network_t a, const xt_sgd_network_t b)
{
    return a->count == b->count && a->d == b->d && a->k == b->k &&
           a->m == b->m && a->has_output_bias == b->has_output_bias &&
           a->activation == b->activation &&
           !memcmp(a->param, b->param, a->count * sizeof(double));
}

static void check_round_trip(uint64_t *state)
{
    for (int bias = 0; bias < 2; bias++)
        for (long t = 0; t < xt_test_scale(20); t++) {
            xt_sgd_network_t net, back;
            xt_sgd_network_init(net);
            xt_sgd_network_init(back);
            fill_network(net, state, bias);
            net->activation = t % 2 ? XT_ACT_LINEAR : XT_ACT_RELU;
            char *text = write_to_string(write_sgd, net);
            xt_error_t err;
            int rc = xt_sgd_network_read_string(back, text, "t", &err);
            if (rc != XT_OK)
                XT_FAIL("read back failed: %s", err.message);
            else if (!same_bits(net, back))
                XT_FAIL("round trip changed a weight:\n%s", text);
            free(text);
            xt_sgd_network_clear(net);
            xt_sgd_network_clear(back);
        }
}

/* Double -> exact network -> exact text -> exact network -> double. */
static void check_exact_export(uint64_t *state)
{
    xt_sgd_network_t net, back;
    xt_network_t exact, reread;
    xt_sgd_network_init(net);
    xt_sgd_network_init(back);
    xt_network_init(exact);
    xt_network_init(reread);
    fill_network(net, state, 1);
    xt_error_t err;
    XT_CHECK_INT(xt_sgd_network_to_exact(exact, net, &err), XT_OK);
    XT_CHECK_RAT(exact->w[0], "3602879701896397/36028797018963968");
    XT_CHECK_RAT(exact->w[1], "-6004799503160661/18014398509481984");
    for (size_t i = 0; i < 6; i++) {
        /* Each weight is a dyadic rational equal to the double. */
        XT_CHECK(mpz_popcount(mpq_denref(exact->w[i])) == 1);
        XT_CHECK(mpq_get_d(exact->w[i]) == net->w[i]);
    }
    char *text = write_to_string(write_exact, exact);
    int rc = xt_network_read_string(reread, text, "exact", &err);
    if (rc != XT_OK)
        XT_FAIL("exact network text does not read back: %s", err.message);
    XT_CHECK_INT(xt_sgd_network_from_exact(back, reread, &err), XT_OK);
    /* Equal values, not bits: rationals have no -0. */
    XT_CHECK(back->count == net->count && back->c != NULL);
    for (size_t i = 0; i < net->count && i < back->count; i++)
        if (back->param[i] != net->param[i])
            XT_FAIL("weight %zu: %a became %a", i, net->param[i],
                    back->param[i]);
    free(text);

    /* Non-finite weights have no exact value. */
    net->b[1] = INFINITY;
    XT_CHECK_INT(xt_sgd_network_to_exact(exact, net, &err), XT_ERR_INPUT);
    /* Threshold networks cannot be trained numerically. */
    reread->activation = XT_ACT_THRESHOLD;
    XT_CHECK_INT(xt_sgd_network_from_exact(back, reread, &err),
                 XT_ERR_INPUT);
    xt_network_clear(exact);
    xt_network_clear(reread);
    xt_sgd_network_clear(net);
    xt_sgd_network_clear(back);
}

/* Rational weights round to the nearest double. */
static void check_rounding(void)
{
    xt_network_t exact;
    xt_sgd_network_t net;
    xt_network_init(exact);
    xt_sgd_network_init(net);
    xt_network_resize(exact, 1, 1, 1, NULL);
    exact->activation = XT_ACT_RELU;
    mpq_set_ui(exact->w[0], 1, 3);
    mpq_set_str(exact->b[0], "-2/3", 10);
    /* 2^53 + 1 is halfway between two doubles: ties go to even. */
    mpq_set_str(exact->a[0], "9007199254740993", 10);
    XT_CHECK_INT(xt_sgd_network_from_exact(net, exact, NULL), XT_OK);
    XT_CHECK(net->w[0] == 1.0 / 3.0);
    XT_CHECK(net->b[0] == -2.0 / 3.0);
    XT_CHECK(net->a[0] == 9007199254740992.0);
    XT_CHECK(net->c == NULL);
    mpq_set_str(exact->a[0], "1", 10);
    mpz_mul_2exp(mpq_numref(exact->a[0]), mpq_numref(exact->a[0]), 1100);
    XT_CHECK_INT(xt_sgd_network_from_exact(net, exact, NULL), XT_ERR_INPUT);
    xt_network_clear(exact);
    xt_sgd_network_clear(net);
}

static void expect_bad(const char *text, const char *fragment)
{
    xt_sgd_network_t net;
    xt_sgd_network_init(net);
    xt_error_t err;
    int rc = xt_sgd_network_read_string(net, text, "bad", &err);
    if (rc != XT_ERR_INPUT)
        XT_FAIL("accepted bad network text:\n%s", text);
    else if (!strstr(err.message, fragment))
        XT_FAIL("message \"%s\" lacks \"%s\"", err.message, fragment);
    xt_sgd_network_clear(net);
}

#define HEAD "xtrain-sgd-network 1\ninputs 1\nhidden 1\noutputs 1\n" \
             "activation relu\noutput-bias no\n"

static void check_bad_input(void)
{
    expect_bad("", "end of the file");
    expect_bad("xtrain-sgd-network 2\n", "bad:1:");
    expect_bad(HEAD "neuron 1 2\n", "bad:8: expected \"output\"");
    expect_bad(HEAD "neuron 1 nan\noutput 1\n", "finite");
    expect_bad(HEAD "neuron 1 inf\noutput 1\n", "finite");
    expect_bad(HEAD "neuron 1 1e999\noutput 1\n", "finite");
    expect_bad(HEAD "neuron 1 0x1p+2x\noutput 1\n", "finite");
    expect_bad(HEAD "neuron 1 2\noutput 1 3\n", "end of the file");
    expect_bad("xtrain-sgd-network 1\ninputs 0\n", "from 1 to");
    expect_bad("xtrain-sgd-network 1\ninputs 1\nhidden 99999999\n",
               "from 1 to");

    /* Comments, decimals and hex floats are accepted. */
    xt_sgd_network_t net;
    xt_sgd_network_init(net);
    XT_CHECK_INT(xt_sgd_network_read_string(net, "# saved\n" HEAD
                                            "neuron 0x1.8p+1 -0.5 # w b\n"
                                            "output 2\n", "ok", NULL),
                 XT_OK);
    XT_CHECK(net->w[0] == 3.0 && net->b[0] == -0.5 && net->a[0] == 2.0);
    xt_sgd_network_clear(net);
}

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    fputs(text, f);
    fclose(f);
}

static void check_files(void)
{
    const char *path = "test_sgd_io.tmp";
    xt_sgd_network_t net;
    xt_sgd_network_init(net);
    xt_error_t err;
    unsigned char mask[4];

    write_file(path, "# mask\n1 0\n0 1\n");
    XT_CHECK_INT(xt_sgd_mask_read_file(mask, 4, path, &err), XT_OK);
    XT_CHECK(mask[0] == 1 && mask[1] == 0 && mask[2] == 0 && mask[3] == 1);
    XT_CHECK_INT(xt_sgd_mask_read_file(mask, 3, path, &err), XT_ERR_INPUT);
    XT_CHECK(strstr(err.message, "more than 3") != NULL);
    XT_CHECK_INT(xt_sgd_mask_read_file(mask, 5, path, &err), XT_ERR_INPUT);
    write_file(path, "1 2 0 1\n");
    XT_CHECK_INT(xt_sgd_mask_read_file(mask, 4, path, &err), XT_ERR_INPUT);
    XT_CHECK(strstr(err.message, "0 or 1") != NULL);

    write_file(path, HEAD "neuron 0x1p-3 0\noutput -1\n");
    XT_CHECK_INT(xt_sgd_network_read_file(net, path, &err), XT_OK);
    XT_CHECK(net->w[0] == 0.125 && net->a[0] == -1.0);
    remove(path);
    XT_CHECK_INT(xt_sgd_network_read_file(net, path, &err), XT_ERR_IO);
    XT_CHECK_INT(xt_sgd_mask_read_file(mask, 4, path, &err), XT_ERR_IO);
    xt_sgd_network_clear(net);
}

/* splitmix64 in xt_test.h is written independently of the library. */
static void check_rng(uint64_t seed)
{
    uint64_t state = seed;
    xt_rng_t rng;
    xt_rng_seed(&rng, seed);
    for (int i = 0; i < 4; i++)
        XT_CHECK(rng.s[i] == xt_test_rand(&state));
    state = seed;
    for (long r = 0; r < 5; r++)
        XT_CHECK(xt_sgd_restart_seed(seed, r) == xt_test_rand(&state));

    /* xoshiro256** from state {1, 2, 3, 4}: the first output is
     * rotl(2 * 5, 7) * 9 = 1280 * 9; the state then becomes
     * {7, 0, 262146, rotl(6, 45)}, so the second output is 0. */
    rng.s[0] = 1;
    rng.s[1] = 2;
    rng.s[2] = 3;
    rng.s[3] = 4;
    XT_CHECK(xt_rng_next(&rng) == 11520u);
    XT_CHECK(rng.s[0] == 7 && rng.s[1] == 0 && rng.s[2] == 262146);
    XT_CHECK(rng.s[3] == (6ull << 45 | 6ull >> 19));
    XT_CHECK(xt_rng_next(&rng) == 0u);

    /* Moments of the uniform and normal deviates. */
    xt_rng_seed(&rng, seed);
    long n = xt_test_scale(200000);
    double su = 0, sn = 0, sn2 = 0;
    for (long i = 0; i < n; i++) {
        double u = xt_rng_uniform(&rng), z = xt_rng_normal(&rng);
        XT_CHECK(u >= 0.0 && u < 1.0);
        su += u;
        sn += z;
        sn2 += z * z;
    }
    XT_CHECK(fabs(su / n - 0.5) < 0.005);
    XT_CHECK(fabs(sn / n) < 0.01);
    XT_CHECK(fabs(sn2 / n - 1.0) < 0.02);
    long counts[3] = {0, 0, 0};
    for (long i = 0; i < 30000; i++) {
        uint64_t v = xt_rng_below(&rng, 3);
        XT_CHECK(v < 3);
        counts[v]++;
    }
    for (int i = 0; i < 3; i++)
        XT_CHECK(labs(counts[i] - 10000) < 500);
}

int main(void)
{
    uint64_t state = xt_test_seed();
    check_round_trip(&state);
    check_exact_export(&state);
    check_rounding();
    check_bad_input();
    check_files();
    check_rng(xt_test_seed_value);
    return xt_test_finish("test_sgd_io");
}
