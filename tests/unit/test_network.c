/* Tests for networks: exact evaluation and losses against hand-computed
 * values, the instance checks, and the text and JSON formats. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "xt_test.h"
#include "xtrain/network.h"
#include "xtrain/rat.h"

static const char xor_instance[] =
    "xtrain-instance 1\ninputs 2\nhidden 2\ndata 4\n"
    "0 0 0\n1 0 1\n0 1 1\n1 1 0\n";

/* f = relu(x1 - x2) + relu(x2 - x1) = |x1 - x2| fits XOR exactly. */
static const char xor_net[] =
    "xtrain-network 1\ninputs 2\nhidden 2\n"
    "neuron 1 -1 0 1\nneuron -1 1 0 1\n";

static void read_instance(xt_instance_t inst, const char *text)
{
    xt_error_t err;
    if (xt_instance_read_string(inst, text, "inst", &err) != XT_OK)
        XT_FAIL("instance rejected: %s", err.message);
}

static void read_network(xt_network_t net, const char *text)
{
    xt_error_t err;
    if (xt_network_read_string(net, text, "net", &err) != XT_OK)
        XT_FAIL("network rejected: %s", err.message);
}

/* Checks the four losses of net on inst against expected values given
 * in the order l1, l2, linf, zero-one. */
static void check_losses(const xt_network_t net, const xt_instance_t inst,
                         const char *l1, const char *l2, const char *linf,
                         const char *zero_one)
{
    static const xt_loss kinds[] = {XT_LOSS_L1, XT_LOSS_L2, XT_LOSS_LINF,
                                    XT_LOSS_ZERO_ONE};
    const char *expected[] = {l1, l2, linf, zero_one};
    xt_error_t err;
    mpq_t loss;

    mpq_init(loss);
    for (int i = 0; i < 4; i++) {
        if (xt_network_loss(loss, NULL, net, inst, kinds[i], &err) !=
            XT_OK) {
            XT_FAIL("loss %s failed: %s", xt_loss_name(kinds[i]),
                    err.message);
            continue;
        }
        char *got = xt_rat_to_string(loss);
        if (strcmp(got, expected[i]) != 0)
            XT_FAIL("%s loss is %s, expected %s", xt_loss_name(kinds[i]),
                    got, expected[i]);
        free(got);
    }
    mpq_clear(loss);
}

static void test_xor_losses(void)
{
    xt_instance_t inst;
    xt_network_t net;
    xt_error_t err;

    xt_instance_init(inst);
    xt_network_init(net);
    read_instance(inst, xor_instance);
    read_network(net, xor_net);
    check_losses(net, inst, "0", "0", "0", "0");
    XT_CHECK_INT(xt_network_conforms(net, inst, &err), XT_OK);

    /* The constant-zero network misses the two points labelled 1. */
    XT_CHECK_INT(xt_network_resize(net, 2, 2, 1, &err), XT_OK);
    check_losses(net, inst, "2", "2", "1", "2");
    XT_CHECK_INT(xt_network_resize(net, 2, 0, 1, &err), XT_OK);
    check_losses(net, inst, "2", "2", "1", "2");

    /* The bundled example files agree. */
    XT_CHECK_INT(xt_instance_read_file(inst, XT_SOURCE_DIR
                                       "/instances/data/xor.txt", &err),
                 XT_OK);
    XT_CHECK_INT(xt_network_read_file(net, XT_SOURCE_DIR
                                      "/instances/data/xor-k2.net", &err),
                 XT_OK);
    check_losses(net, inst, "0", "0", "0", "0");
    XT_CHECK_INT(xt_network_conforms(net, inst, &err), XT_OK);
    xt_instance_clear(inst);
    xt_network_clear(net);
}

/* One input, one neuron w = 1/2, b = -1/3, a = 3/4, output bias 1/5:
 *   x = 0:  h = relu(-1/3) = 0,       f = 1/5,  y = 0,    r = 1/5
 *   x = 2:  h = relu(2/3) = 2/3,      f = 7/10, y = 1,    r = -3/10
 *   x = -1: h = relu(-5/6) = 0,       f = 1/5,  y = 1/5,  r = 0
 * so l1 = 1/2, l2 = 1/25 + 9/100 = 13/100, linf = 3/10, zero-one = 2. */
static void test_fraction_losses(void)
{
    xt_instance_t inst;
    xt_network_t net;
    xt_error_t err;
    mpq_t loss, *residuals = xt_rat_array_new(3);

    xt_instance_init(inst);
    xt_network_init(net);
    mpq_init(loss);
    read_instance(inst, "xtrain-instance 1\ninputs 1\noutput-bias yes\n"
                  "data 3\n0 0\n2 1\n-1 1/5\n");
    read_network(net, "xtrain-network 1\ninputs 1\nhidden 1\n"
                 "output-bias yes\nneuron 1/2 -1/3 3/4\n"
                 "output-bias-values 0.2\n");
    check_losses(net, inst, "1/2", "13/100", "3/10", "2");
    XT_CHECK_INT(xt_network_loss(loss, residuals, net, inst, XT_LOSS_L2,
                                 &err), XT_OK);
    XT_CHECK_RAT(residuals[0], "1/5");
    XT_CHECK_RAT(residuals[1], "-3/10");
    XT_CHECK_RAT(residuals[2], "0");
    XT_CHECK_INT(xt_network_conforms(net, inst, &err), XT_OK);

    /* Without its output bias the network is off by 1/5 less:
     * residuals 0, -1/2, -1/5: l1 7/10, l2 29/100, linf 1/2, 0-1 2. */
    net->has_output_bias = 0;
    check_losses(net, inst, "7/10", "29/100", "1/2", "2");

    /* An empty data set has loss 0 under every loss. */
    read_instance(inst, "xtrain-instance 1\ninputs 1\ndata 0\n");
    check_losses(net, inst, "0", "0", "0", "0");
    mpq_clear(loss);
    xt_rat_array_free(residuals, 3);
    xt_instance_clear(inst);
    xt_network_clear(net);
}

/* Threshold neurons are [t > 0]: a point on the hyperplane gives 0.
 * Network h = [x1 + x2 - 1 > 0], f = 2h - 1/2 (linear output):
 *   (0,0): t = -1, h = 0, f = -1/2;   (1,0): t = 0, h = 0, f = -1/2;
 *   (1,1): t = 1,  h = 1, f = 3/2.
 * Labels 0, 0, 1: residuals -1/2, -1/2, 1/2, so l2 = 3/4, linf 1/2.
 * With a threshold output f = [2h - 1/2 > 0] = 0, 0, 1: all correct. */
static void test_threshold(void)
{
    const char *points = "xtrain-instance 1\ninputs 2\noutput-bias yes\n"
                         "activation threshold\nloss zero-one\ndata 3\n"
                         "0 0 0\n1 0 0\n1 1 1\n";
    xt_instance_t inst;
    xt_network_t net;
    xt_error_t err;
    mpq_t out[1], x[2];

    xt_instance_init(inst);
    xt_network_init(net);
    read_instance(inst, points);
    read_network(net, "xtrain-network 1\ninputs 2\nhidden 1\n"
                 "activation threshold\noutput-bias yes\n"
                 "neuron 1 1 -1 2\noutput-bias-values -1/2\n");
    check_losses(net, inst, "3/2", "3/4", "1/2", "3");
    net->threshold_output = 1;
    check_losses(net, inst, "0", "0", "0", "0");
    XT_CHECK_INT(xt_network_conforms(net, inst, &err), XT_OK);

    /* A threshold output of exactly 0 is 0: move c to 0, so f(1,1) is
     * [2 > 0] = 1 and f(0,0) is [0 > 0] = 0. */
    mpq_init(out[0]);
    mpq_init(x[0]);
    mpq_init(x[1]);
    mpq_set_ui(net->c[0], 0, 1);
    xt_network_eval(out, net, (const mpq_t *)x);
    XT_CHECK_RAT(out[0], "0");
    mpq_set_ui(x[0], 1, 1);
    mpq_set_ui(x[1], 1, 1);
    xt_network_eval(out, net, (const mpq_t *)x);
    XT_CHECK_RAT(out[0], "1");
    mpq_clear(out[0]);
    mpq_clear(x[0]);
    mpq_clear(x[1]);
    xt_instance_clear(inst);
    xt_network_clear(net);
}

/* Two outputs and a linear hidden neuron h = x - 1:
 *   f_1 = 2h, f_2 = -h + 1 (output bias 0 and 1).
 *   x = 1: h = 0, f = (0, 1), y = (0, 1), residuals (0, 0);
 *   x = 3: h = 2, f = (4, -1), y = (4, 0), residuals (0, -1);
 *   x = 0: h = -1, f = (-2, 2), y = (0, 0), residuals (-2, 2).
 * l1 = 5, l2 = 9, linf = 2, zero-one = 2 (points 2 and 3). */
static void test_two_outputs(void)
{
    xt_instance_t inst;
    xt_network_t net;
    xt_error_t err;

    xt_instance_init(inst);
    xt_network_init(net);
    read_instance(inst, "xtrain-instance 1\ninputs 1\noutputs 2\n"
                  "activation linear\noutput-bias yes\ndata 3\n"
                  "1 0 1\n3 4 0\n0 0 0\n");
    read_network(net, "xtrain-network 1\ninputs 1\nhidden 1\noutputs 2\n"
                 "activation linear\noutput-bias yes\n"
                 "neuron 1 -1 2 -1\noutput-bias-values 0 1\n");
    check_losses(net, inst, "5", "9", "2", "2");
    XT_CHECK_INT(xt_network_conforms(net, inst, &err), XT_OK);
    xt_instance_clear(inst);
    xt_network_clear(net);
}

static void test_conforms(void)
{
    xt_instance_t inst;
    xt_network_t net;
    xt_error_t err;
    mpq_t loss;

    xt_instance_init(inst);
    xt_network_init(net);
    mpq_init(loss);
    read_instance(inst, "xtrain-instance 1\ninputs 2\nconvex yes\n"
                  "data 1\n1 1 0\n");
    read_network(net, xor_net);
    XT_CHECK_INT(xt_network_conforms(net, inst, &err), XT_OK);

    mpq_set_si(net->a[1], -1, 1);
    XT_CHECK_INT(xt_network_conforms(net, inst, &err), XT_ERR_INPUT);
    XT_CHECK_STR(err.message, "the instance is convex, so every output "
                 "weight must be 1, but neuron 2 has output weight -1 "
                 "(output 1)");
    inst->convex = 0;
    XT_CHECK_INT(xt_network_conforms(net, inst, &err), XT_OK);

    net->has_output_bias = 1;
    XT_CHECK_INT(xt_network_conforms(net, inst, &err), XT_ERR_INPUT);
    XT_CHECK_STR(err.message, "the network has an output bias but the "
                 "instance allows none (output-bias no)");
    inst->output_bias = 1;
    XT_CHECK_INT(xt_network_conforms(net, inst, &err), XT_OK);
    net->has_output_bias = 0;
    XT_CHECK_INT(xt_network_conforms(net, inst, &err), XT_OK);

    net->activation = XT_ACT_THRESHOLD;
    XT_CHECK_INT(xt_network_conforms(net, inst, &err), XT_ERR_INPUT);
    XT_CHECK_STR(err.message, "the network uses threshold activation but "
                 "the instance uses relu");
    net->activation = XT_ACT_RELU;

    read_network(net, "xtrain-network 1\ninputs 3\nhidden 0\n");
    XT_CHECK_INT(xt_network_conforms(net, inst, &err), XT_ERR_INPUT);
    XT_CHECK_STR(err.message, "the network has 3 inputs but the instance "
                 "has 2");
    XT_CHECK_INT(xt_network_loss(loss, NULL, net, inst, XT_LOSS_L2, &err),
                 XT_ERR_INPUT);
    read_network(net, "xtrain-network 1\ninputs 2\nhidden 0\noutputs 2\n");
    XT_CHECK_INT(xt_network_conforms(net, inst, &err), XT_ERR_INPUT);
    XT_CHECK_STR(err.message, "the network has 2 outputs but the instance "
                 "has 1");
    mpq_clear(loss);
    xt_instance_clear(inst);
    xt_network_clear(net);
}

static char *capture(const xt_network_t net, int json)
{
    FILE *stream = tmpfile();
    long size;
    char *text;
    size_t len;

    if (json)
        xt_network_write_json(stream, net);
    else
        xt_network_write(stream, net);
    size = ftell(stream);
    rewind(stream);
    text = malloc((size_t)size + 1);
    len = fread(text, 1, (size_t)size, stream);
    text[len] = '\0';
    fclose(stream);
    return text;
}

static void test_writers(void)
{
    xt_network_t net;
    char *text;

    xt_network_init(net);
    read_network(net, xor_net);
    text = capture(net, 1);
    XT_CHECK_STR(text, "{\"inputs\": 2, \"activation\": \"relu\", "
                 "\"hidden\": [{\"w\": [\"1\",\"-1\"], \"b\": \"0\"}, "
                 "{\"w\": [\"-1\",\"1\"], \"b\": \"0\"}], "
                 "\"output\": {\"a\": [\"1\",\"1\"]}}");
    free(text);
    text = capture(net, 0);
    XT_CHECK_STR(text, "xtrain-network 1\ninputs 2\nhidden 2\noutputs 1\n"
                 "activation relu\noutput-activation linear\n"
                 "output-bias no\n# neuron w_1 .. w_2 b a_1\n"
                 "neuron 1 -1 0 1\nneuron -1 1 0 1\n");
    free(text);

    read_network(net, "xtrain-network 1\ninputs 1\nhidden 1\noutputs 2\n"
                 "activation threshold\noutput-activation threshold\n"
                 "output-bias yes\nneuron 1/2 -3 4 5\n"
                 "output-bias-values 1 -1/3\n");
    text = capture(net, 1);
    XT_CHECK_STR(text, "{\"inputs\": 1, \"activation\": \"threshold\", "
                 "\"output-activation\": \"threshold\", \"hidden\": "
                 "[{\"w\": [\"1/2\"], \"b\": \"-3\"}], \"output\": {\"a\": "
                 "[[\"4\"], [\"5\"]], \"c\": [\"1\",\"-1/3\"]}}");
    free(text);
    xt_network_clear(net);
}

static void random_value(mpq_t q, uint64_t *state)
{
    mpz_set_si(mpq_numref(q), (long)(xt_test_rand(state) % 201) - 100);
    mpz_set_ui(mpq_denref(q), 1 + xt_test_rand(state) % 30);
    if (xt_test_rand(state) % 6 == 0)
        mpz_mul_2exp(mpq_numref(q), mpq_numref(q), 130);
    mpq_canonicalize(q);
}

static void random_network(xt_network_t net, uint64_t *state)
{
    int d = 1 + (int)(xt_test_rand(state) % 4);
    int k = (int)(xt_test_rand(state) % 4);
    int m = 1 + (int)(xt_test_rand(state) % 3);

    xt_network_resize(net, d, k, m, NULL);
    net->activation = (xt_activation)(xt_test_rand(state) % 3);
    net->threshold_output = (int)(xt_test_rand(state) % 2);
    net->has_output_bias = (int)(xt_test_rand(state) % 2);
    for (int i = 0; i < k * d; i++)
        random_value(net->w[i], state);
    for (int j = 0; j < k; j++)
        random_value(net->b[j], state);
    for (int i = 0; i < m * k; i++)
        random_value(net->a[i], state);
    for (int o = 0; o < m && net->has_output_bias; o++)
        random_value(net->c[o], state);
}

static int same_network(const xt_network_t a, const xt_network_t b)
{
    if (a->d != b->d || a->k != b->k || a->m != b->m ||
        a->activation != b->activation ||
        a->threshold_output != b->threshold_output ||
        a->has_output_bias != b->has_output_bias)
        return 0;
    for (int i = 0; i < a->k * a->d; i++)
        if (!mpq_equal(a->w[i], b->w[i]))
            return 0;
    for (int j = 0; j < a->k; j++)
        if (!mpq_equal(a->b[j], b->b[j]))
            return 0;
    for (int i = 0; i < a->m * a->k; i++)
        if (!mpq_equal(a->a[i], b->a[i]))
            return 0;
    for (int o = 0; o < a->m && a->has_output_bias; o++)
        if (!mpq_equal(a->c[o], b->c[o]))
            return 0;
    return 1;
}

static void test_round_trips(void)
{
    uint64_t state = xt_test_seed();
    long rounds = xt_test_scale(300);
    xt_network_t a, b, copy;
    xt_error_t err;

    xt_network_init(a);
    xt_network_init(b);
    xt_network_init(copy);
    for (long r = 0; r < rounds; r++) {
        random_network(a, &state);
        for (int json = 0; json <= 1; json++) {
            char *text = capture(a, json);
            if (xt_network_read_string(b, text, "round", &err) != XT_OK)
                XT_FAIL("written network rejected: %s\n%s", err.message,
                        text);
            else if (!same_network(a, b))
                XT_FAIL("round trip %ld (json %d) changed the network:\n%s",
                        r, json, text);
            free(text);
        }
        XT_CHECK_INT(xt_network_set(copy, a), XT_OK);
        XT_CHECK(same_network(a, copy));
    }
    xt_network_clear(a);
    xt_network_clear(b);
    xt_network_clear(copy);
}

static void test_json_forms(void)
{
    xt_network_t net;
    xt_error_t err;

    xt_network_init(net);
    /* The documented example. */
    read_network(net, "{\"inputs\": 2, \"activation\": \"relu\", "
                 "\"hidden\": [{\"w\": [\"1\",\"-1/2\"], \"b\": \"0\"}], "
                 "\"output\": {\"a\": [\"1\"], \"c\": \"0\"}}");
    XT_CHECK_INT(net->k, 1);
    XT_CHECK_INT(net->has_output_bias, 1);
    XT_CHECK_RAT(net->w[1], "-1/2");

    /* Bare JSON numbers are parsed exactly from their text. */
    read_network(net, "  \n{\"inputs\": 2, \"hidden\": [{\"w\": [0.1, "
                 "-2.5e-1], \"b\": 1e2}], \"output\": {\"a\": [-3]}}");
    XT_CHECK_RAT(net->w[0], "1/10");
    XT_CHECK_RAT(net->w[1], "-1/4");
    XT_CHECK_RAT(net->b[0], "100");
    XT_CHECK_RAT(net->a[0], "-3");
    XT_CHECK_INT(net->has_output_bias, 0);
    XT_CHECK_INT(net->activation, XT_ACT_RELU);

    /* A solver's result that contains the network. */
    read_network(net, "{\"status\": \"optimal\", \"loss\": \"0\", "
                 "\"network\": {\"inputs\": 1, \"activation\": \"linear\", "
                 "\"hidden\": [], \"output\": {\"a\": [], \"c\": \"7\"}}}");
    XT_CHECK_INT(net->k, 0);
    XT_CHECK_INT(net->d, 1);
    XT_CHECK_RAT(net->c[0], "7");
    XT_CHECK_INT(net->activation, XT_ACT_LINEAR);

    /* Several outputs: "a" is an array of arrays. */
    read_network(net, "{\"inputs\": 1, \"hidden\": [{\"w\": [\"1\"], "
                 "\"b\": \"0\"}, {\"w\": [\"2\"], \"b\": \"1\"}], "
                 "\"output\": {\"a\": [[\"1\",\"2\"], [\"3\",\"4\"], "
                 "[\"5\",\"6\"]], \"c\": [\"0\",\"0\",\"1/2\"]}}");
    XT_CHECK_INT(net->m, 3);
    XT_CHECK_RAT(net->a[1 * 2 + 1], "4");
    XT_CHECK_RAT(net->c[2], "1/2");
    xt_network_clear(net);
    (void)err;
}

typedef struct {
    const char *text;
    const char *message;
} bad_case;

static const bad_case bad_networks[] = {
    {"", "net:1: missing header \"xtrain-network 1\" (the file is empty)"},
    {"xtrain-instance 1\n", "net:1: missing header \"xtrain-network 1\" "
                            "(found \"xtrain-instance 1\")"},
    {"xtrain-network 3\n", "net:1: unsupported format version \"3\""},
    {"xtrain-network 1\nhidden 1\nneuron 1 0 1\n",
     "net:3: missing \"inputs\" in the header"},
    {"xtrain-network 1\ninputs 1\n", "net:2: missing \"hidden\" in the "
                                     "header"},
    {"xtrain-network 1\ninputs 1\nhidden 2\nneuron 1 0 1\n",
     "net:4: too few neuron lines: expected 2 (\"hidden\" on line 3), "
     "found 1"},
    {"xtrain-network 1\ninputs 1\nhidden 1\nneuron 1 0 1\nneuron 1 0 1\n",
     "net:5: too many neuron lines: expected 1 (\"hidden\" on line 3)"},
    {"xtrain-network 1\ninputs 2\nhidden 1\nneuron 1 0 1\n",
     "net:4: expected 4 values after \"neuron\" (2 weights, 1 bias, 1 "
     "output weight), found 3"},
    {"xtrain-network 1\ninputs 1\nhidden 1\nneuron 1 x 1\n",
     "net:4: invalid number \"x\""},
    {"xtrain-network 1\ninputs 1\nhidden 1\nneuron 1 0 1\n"
     "output-bias-values 1\n",
     "net:5: \"output-bias-values\" given, but the header does not say "
     "\"output-bias yes\""},
    {"xtrain-network 1\ninputs 1\nhidden 1\noutput-bias yes\n"
     "neuron 1 0 1\n", "net:5: missing \"output-bias-values\""},
    {"xtrain-network 1\ninputs 1\nhidden 0\noutputs 2\noutput-bias yes\n"
     "output-bias-values 1\n",
     "net:6: expected 2 values after \"output-bias-values\", found 1"},
    {"xtrain-network 1\ninputs 1\nhidden 1\nlayers 2\n",
     "net:4: unknown keyword \"layers\""},
    {"xtrain-network 1\ninputs 1\nhidden 1\ninputs 1\n",
     "net:4: duplicate keyword \"inputs\" (first given on line 2)"},
    {"xtrain-network 1\ninputs 1\nhidden 1\nneuron 1 0 1\nhidden 1\n",
     "net:5: expected \"neuron\" or \"output-bias-values\", found "
     "\"hidden\""},
    {"xtrain-network 1\ninputs 1\nhidden 4097\n",
     "net:3: value \"4097\" for hidden is too large (at most 4096)"},
    {"xtrain-network 1\ninputs 1\nhidden 4096\nneuron 1 0 1\n",
     "net:4: too few neuron lines: expected 4096 (\"hidden\" on line 3), "
     "found 1"},
    {"xtrain-network 1\ninputs 1\nhidden 1\noutput-activation relu\n",
     "net:4: unknown output activation \"relu\" (expected linear or "
     "threshold)"},
    {"xtrain-network 1\ninputs 1\nhidden 1\nactivation tanh\n",
     "net:4: unknown activation \"tanh\""},
    {"{\"inputs\": 2, \"hidden\": [{\"w\": [\"1\"], \"b\": \"0\"}], "
     "\"output\": {\"a\": [\"1\"]}}",
     "net:1: \"w\" of neuron 1 has 1 values but \"inputs\" is 2"},
    {"{\"hidden\": [], \"output\": {\"a\": []}}",
     "net:1: missing member \"inputs\" in the network"},
    {"{\"inputs\": 1,\n \"hidden\": [{\"w\": [\"1\"], \"b\": \"0\"}],\n"
     " \"output\": {\"a\": [\"1\"]},\n \"activaton\": \"relu\"}",
     "net:4: unknown member \"activaton\" in the network"},
    {"{\"inputs\": 1, \"hidden\": [{\"w\": [\"1/0\"], \"b\": \"0\"}], "
     "\"output\": {\"a\": [\"1\"]}}",
     "net:1: invalid number \"1/0\" in a hidden weight"},
    {"{\"inputs\": 1, \"hidden\": [{\"w\": [\"1\"]}], "
     "\"output\": {\"a\": [\"1\"]}}",
     "net:1: missing member \"b\" in neuron 1"},
    {"{\"inputs\": 1, \"hidden\": [{\"w\": [\"1\"], \"b\": 0}], "
     "\"output\": {\"a\": [\"1\", \"2\"]}}",
     "net:1: a row of \"a\" has 2 values but there are 1 hidden neurons"},
    {"{\"inputs\": 1, \"hidden\": [{\"w\": [\"1\"], \"b\": 0}], "
     "\"output\": {\"a\": [[\"1\"], [\"2\"]], \"c\": \"1\"}}",
     "net:1: \"c\" must be an array of 2 values, one per output"},
    {"{\"inputs\": 1, \"hidden\": [{\"w\": [true], \"b\": 0}], "
     "\"output\": {\"a\": [\"1\"]}}",
     "net:1: a hidden weight must be a number or a string holding one"},
    {"{\"inputs\": \"x\", \"hidden\": [], \"output\": {\"a\": []}}",
     "net:1: invalid value \"x\" for inputs: expected an integer from 1 "
     "to 4096"},
    {"{\"network\": 5}", "net:1: member \"network\" must be an object"},
    {"[1, 2]", "net:1: missing header \"xtrain-network 1\" (found "
               "\"[1, 2]\")"},
    {" {\"inputs\": 1} ", "net:1: missing member \"hidden\" in the "
                          "network"},
    {"{\"inputs\": 1,\n\"hidden\": [\n", "net:3: unexpected end of input; "
                                         "expected a JSON value"},
};

static void test_bad_networks(void)
{
    xt_network_t net;
    xt_error_t err;

    xt_network_init(net);
    read_network(net, xor_net);
    for (size_t i = 0; i < sizeof bad_networks / sizeof bad_networks[0];
         i++) {
        const bad_case *c = &bad_networks[i];
        int status = xt_network_read_string(net, c->text, "net", &err);
        if (status == XT_OK) {
            XT_FAIL("bad network %zu was accepted", i);
            continue;
        }
        if (!strstr(err.message, c->message))
            XT_FAIL("bad network %zu: message \"%s\" lacks \"%s\"", i,
                    err.message, c->message);
    }
    /* Failed reads leave the network as it was. */
    XT_CHECK_INT(net->k, 2);
    XT_CHECK_RAT(net->w[1], "-1");
    xt_network_clear(net);
}

/* Random byte edits of valid network files (text and JSON) must give a
 * network or a one-line message. */
static void test_mutations(void)
{
    const char *bases[] = {
        "xtrain-network 1\ninputs 2\nhidden 2\noutputs 1\n"
        "output-bias yes\nneuron 1 -1 0 1\nneuron -1 1 0 1\n"
        "output-bias-values 1/2\n",
        "{\"inputs\": 2, \"hidden\": [{\"w\": [\"1\",\"-1\"], \"b\": 0}, "
        "{\"w\": [-1, 1], \"b\": \"0\"}], \"output\": {\"a\": [[\"1\","
        "\"1\"]], \"c\": [\"1/2\"]}}",
    };
    static const char bytes[] = "0123456789 \n#/.-+e{}[]\",:\0x";
    uint64_t state = xt_test_seed() + 11;
    long rounds = xt_test_scale(3000);
    xt_network_t net;
    xt_error_t err;

    xt_network_init(net);
    for (long r = 0; r < rounds; r++) {
        const char *base = bases[r % 2];
        size_t len = strlen(base), use = len;
        char *text = malloc(len);
        memcpy(text, base, len);
        int edits = 1 + (int)(xt_test_rand(&state) % 3);
        for (int e = 0; e < edits; e++)
            text[xt_test_rand(&state) % len] =
                bytes[xt_test_rand(&state) % (sizeof bytes - 1)];
        if (xt_test_rand(&state) % 4 == 0)
            use = xt_test_rand(&state) % len;
        int status = xt_network_read_text(net, text, use, "m", &err);
        if (status != XT_OK && (strncmp(err.message, "m:", 2) != 0 ||
                                strchr(err.message, '\n')))
            XT_FAIL("bad message \"%s\"", err.message);
        if (status != XT_OK && status != XT_ERR_INPUT)
            XT_FAIL("status %d: %s", status, err.message);
        free(text);
    }
    xt_network_clear(net);
}

int main(void)
{
    xt_test_seed();
    test_xor_losses();
    test_fraction_losses();
    test_threshold();
    test_two_outputs();
    test_conforms();
    test_writers();
    test_round_trips();
    test_json_forms();
    test_bad_networks();
    test_mutations();
    return xt_test_finish("test_network");
}
