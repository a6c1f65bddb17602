/* Tests for the architecture section of the instance format (version 2):
 * reading, writing, rejecting malformed sections, network conformance,
 * and the SMT backend fixing the weights of missing edges to 0. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "xt_test.h"
#include "xtrain/instance.h"
#include "xtrain/network.h"
#include "xtrain/smt.h"
#include "xtrain/solve.h"

/* Three inputs, two neurons, two outputs: neuron 1 reads inputs 1 and 3
 * and feeds output 1; neuron 2 reads input 2 and feeds both outputs. */
static const char sparse_text[] =
    "xtrain-instance 2\n"
    "inputs 3\n"
    "outputs 2\n"
    "hidden 2\n"
    "activation linear\n"
    "architecture\n"
    "neuron 1 inputs 3 1 outputs 1   # indices in any order\n"
    "neuron 2 inputs 2 outputs 1 2\n"
    "data 1\n"
    "1 2 3 4 5\n";

static const char sparse_written[] =
    "xtrain-instance 2\n"
    "inputs 3\n"
    "outputs 2\n"
    "hidden 2\n"
    "activation linear\n"
    "architecture\n"
    "neuron 1 inputs 1 3 outputs 1\n"
    "neuron 2 inputs 2 outputs 1 2\n"
    "data 1\n"
    "1 2 3 4 5\n";

/* Writes inst to a malloc'd string. */
static char *write_to_string(const xt_instance_t inst)
{
    char *text = NULL;
    size_t size = 0;
    FILE *stream = open_memstream(&text, &size);

    if (!stream)
        return NULL;
    xt_instance_write(stream, inst);
    fclose(stream);
    return text;
}

static void check_sparse_edges(const xt_instance_t inst)
{
    static const int in[2][3] = {{1, 0, 1}, {0, 1, 0}};
    static const int out[2][2] = {{1, 1}, {0, 1}};   /* [o][j] */

    XT_CHECK_INT(inst->has_architecture, 1);
    XT_CHECK_INT(inst->arch_hidden, 2);
    XT_CHECK_INT(inst->arch_d, 3);
    XT_CHECK_INT(inst->arch_m, 2);
    if (!inst->has_architecture)
        return;
    for (int j = 0; j < 2; j++)
        for (int t = 0; t < 3; t++)
            if (xt_instance_input_edge(inst, j, t) != in[j][t])
                XT_FAIL("input edge %d -> neuron %d is %d", t + 1, j + 1,
                        xt_instance_input_edge(inst, j, t));
    for (int o = 0; o < 2; o++)
        for (int j = 0; j < 2; j++)
            if (xt_instance_output_edge(inst, o, j) != out[o][j])
                XT_FAIL("output edge neuron %d -> output %d is %d", j + 1,
                        o + 1, xt_instance_output_edge(inst, o, j));
}

static void test_read_write_round_trip(void)
{
    xt_instance_t inst, again;
    xt_error_t err;
    char *text, *text2;

    xt_instance_init(inst);
    xt_instance_init(again);
    XT_CHECK_INT(xt_instance_read_string(inst, sparse_text, "sparse",
                                         &err), XT_OK);
    check_sparse_edges(inst);
    XT_CHECK_INT(inst->n, 1);
    text = write_to_string(inst);
    XT_CHECK_STR(text, sparse_written);
    XT_CHECK_INT(xt_instance_read_string(again, text ? text : "", "again",
                                         &err), XT_OK);
    check_sparse_edges(again);
    text2 = write_to_string(again);
    XT_CHECK_STR(text2, sparse_written);
    free(text);
    free(text2);
    xt_instance_clear(again);
    xt_instance_clear(inst);
}

static void test_versions_without_architecture(void)
{
    xt_instance_t inst;
    xt_error_t err;
    char *text;

    xt_instance_init(inst);
    XT_CHECK_INT(xt_instance_read_string(inst,
        "xtrain-instance 1\ninputs 1\ndata 1\n1 2\n", "v1", &err), XT_OK);
    XT_CHECK_INT(inst->has_architecture, 0);
    XT_CHECK_INT(xt_instance_input_edge(inst, 0, 0), 1);
    text = write_to_string(inst);
    XT_CHECK(text && strncmp(text, "xtrain-instance 1\n", 18) == 0);
    free(text);

    /* Version 2 without the section is fully connected and is written
     * back as version 1. */
    XT_CHECK_INT(xt_instance_read_string(inst,
        "xtrain-instance 2\ninputs 1\nhidden 3\ndata 1\n1 2\n", "v2",
        &err), XT_OK);
    XT_CHECK_INT(inst->has_architecture, 0);
    XT_CHECK_INT(xt_instance_output_edge(inst, 0, 2), 1);
    text = write_to_string(inst);
    XT_CHECK(text && strncmp(text, "xtrain-instance 1\n", 18) == 0);
    free(text);
    xt_instance_clear(inst);
}

/* A malformed file and a piece of the message it must produce. */
typedef struct {
    const char *text;
    const char *message;
} bad_case;

static const bad_case bad_cases[] = {
    {"xtrain-instance 1\ninputs 2\nhidden 1\narchitecture\n"
     "neuron 1 inputs 1 outputs 1\ndata 0\n",
     "bad:4: an architecture section needs format version 2"},
    {"xtrain-instance 2\ninputs 2\narchitecture\n"
     "neuron 1 inputs 1 outputs 1\ndata 0\n",
     "bad:3: missing \"inputs\" and \"hidden\" before \"architecture\""},
    {"xtrain-instance 2\ninputs 2\nhidden 1\narchitecture yes\n"
     "neuron 1 inputs 1 outputs 1\ndata 0\n",
     "bad:4: \"architecture\" takes no value"},
    {"xtrain-instance 2\ninputs 2\nhidden 1\narchitecture\n"
     "neuron 1 inputs 1 outputs 1\noutputs 2\ndata 0\n",
     "bad:6: \"outputs\" must come before \"architecture\""},
    {"xtrain-instance 2\ninputs 2\nhidden 2\narchitecture\n"
     "neuron 2 inputs 1 outputs 1\nneuron 1 inputs 1 outputs 1\ndata 0\n",
     "bad:5: expected \"neuron 1\", found \"neuron 2 inputs 1 outputs 1\""},
    {"xtrain-instance 2\ninputs 2\nhidden 1\narchitecture\n"
     "neuron 1 inputs 1 1 outputs 1\ndata 0\n",
     "bad:5: input 1 is listed twice for neuron 1"},
    {"xtrain-instance 2\ninputs 2\nhidden 1\narchitecture\n"
     "neuron 1 inputs 0 outputs 1\ndata 0\n",
     "bad:5: invalid input index \"0\" for neuron 1 (expected 1..2 or "
     "outputs)"},
    {"xtrain-instance 2\ninputs 2\noutputs 2\nhidden 1\narchitecture\n"
     "neuron 1 inputs 1 outputs 3\ndata 0\n",
     "bad:6: invalid output index \"3\" for neuron 1 (expected 1..2)"},
    {"xtrain-instance 2\ninputs 2\nhidden 1\narchitecture\n"
     "neuron 1 inputs 1 outputs 1 1\ndata 0\n",
     "bad:5: output 1 is listed twice for neuron 1"},
    {"xtrain-instance 2\ninputs 2\nhidden 1\narchitecture\n"
     "neuron 1 inputs 1 2\ndata 0\n",
     "bad:5: missing \"outputs\" on the line of neuron 1"},
    {"xtrain-instance 2\ninputs 2\nhidden 1\narchitecture\n"
     "neuron 1 outputs 1\ndata 0\n",
     "bad:5: expected \"inputs\" after \"neuron 1\""},
    {"xtrain-instance 2\ninputs 2\nhidden 1\narchitecture\n"
     "neuron 1 inputs x outputs 1\ndata 0\n",
     "bad:5: invalid input index \"x\""},
    {"xtrain-instance 2\ninputs 2\nhidden 2\narchitecture\n"
     "neuron 1 inputs 1 outputs 1\ndata 0\n",
     "bad:6: expected \"neuron 2 inputs ... outputs ...\" in the "
     "architecture section (hidden 2), found \"data 0\""},
    {"xtrain-instance 2\ninputs 2\nhidden 3\narchitecture\n"
     "neuron 1 inputs 1 outputs 1\n",
     "bad:5: missing the line of neuron 2 in the architecture section"},
    {"xtrain-instance 2\ninputs 4000\nhidden 4000\narchitecture\n"
     "neuron 1 inputs 1 outputs 1\n",
     "bad:4: the architecture section needs 4000 neuron lines"},
    {"xtrain-instance 2\ninputs 2\nhidden 1\narchitecture\n"
     "neuron 1 inputs 1 outputs 1\narchitecture\n"
     "neuron 1 inputs 1 outputs 1\ndata 0\n",
     "bad:6: duplicate keyword \"architecture\""},
    {"xtrain-instance 2\ninputs 2\nhidden 1\n"
     "neuron 1 inputs 1 outputs 1\ndata 0\n",
     "bad:4: unknown keyword \"neuron\""},
    {"xtrain-instance 3\ninputs 2\ndata 0\n",
     "bad:1: unsupported format version \"3\""},
};

static void test_malformed_sections(void)
{
    for (size_t c = 0; c < sizeof bad_cases / sizeof *bad_cases; c++) {
        xt_instance_t inst;
        xt_error_t err;
        int status;

        xt_instance_init(inst);
        xt_error_clear(&err);
        status = xt_instance_read_string(inst, bad_cases[c].text, "bad",
                                         &err);
        if (status != XT_ERR_INPUT)
            XT_FAIL("case %zu: status %d, expected XT_ERR_INPUT", c,
                    status);
        if (!strstr(err.message, bad_cases[c].message))
            XT_FAIL("case %zu: message \"%s\" lacks \"%s\"", c, err.message,
                    bad_cases[c].message);
        XT_CHECK_INT(inst->has_architecture, 0);
        xt_instance_clear(inst);
    }
}

static void test_set_architecture(void)
{
    static const unsigned char in[2] = {1, 0}, out[1] = {1};
    static const unsigned char bad[2] = {1, 2};
    xt_instance_t inst;
    xt_error_t err;

    xt_instance_init(inst);
    XT_CHECK_INT(xt_instance_resize(inst, 0, 2, 1, &err), XT_OK);
    XT_CHECK_INT(xt_instance_set_architecture(inst, in, out, &err),
                 XT_ERR_INPUT);   /* hidden not set */
    inst->hidden = 1;
    XT_CHECK_INT(xt_instance_set_architecture(inst, bad, out, &err),
                 XT_ERR_INPUT);
    XT_CHECK_INT(inst->has_architecture, 0);
    XT_CHECK_INT(xt_instance_set_architecture(inst, in, out, &err), XT_OK);
    XT_CHECK_INT(xt_instance_check_architecture(inst, &err), XT_OK);
    XT_CHECK_INT(xt_instance_input_edge(inst, 0, 1), 0);

    /* A later change of hidden (such as --hidden 2) is detected. */
    inst->hidden = 2;
    XT_CHECK_INT(xt_instance_check_architecture(inst, &err), XT_ERR_INPUT);
    XT_CHECK(strstr(err.message, "describes 1 hidden neurons") != NULL);
    inst->hidden = 1;
    xt_instance_clear_architecture(inst);
    XT_CHECK_INT(inst->has_architecture, 0);
    XT_CHECK_INT(xt_instance_input_edge(inst, 0, 1), 1);
    xt_instance_clear(inst);
}

static void test_network_conformance(void)
{
    xt_instance_t inst;
    xt_network_t net;
    xt_error_t err;

    xt_instance_init(inst);
    xt_network_init(net);
    XT_CHECK_INT(xt_instance_read_string(inst, sparse_text, "sparse",
                                         &err), XT_OK);
    XT_CHECK_INT(xt_network_resize(net, 3, 2, 2, &err), XT_OK);
    net->activation = XT_ACT_LINEAR;
    mpq_set_si(net->w[0], 2, 1);        /* neuron 1, input 1: present */
    mpq_set_si(net->w[2], -1, 1);       /* neuron 1, input 3: present */
    mpq_set_si(net->w[3 + 1], 5, 1);    /* neuron 2, input 2: present */
    mpq_set_si(net->a[0 * 2 + 0], 1, 1);
    mpq_set_si(net->a[1 * 2 + 1], 3, 1);
    XT_CHECK_INT(xt_network_conforms(net, inst, &err), XT_OK);

    mpq_set_si(net->w[1], 1, 1);        /* neuron 1, input 2: missing */
    XT_CHECK_INT(xt_network_conforms(net, inst, &err), XT_ERR_INPUT);
    XT_CHECK(strstr(err.message, "input 2 does not feed neuron 1") != NULL);
    mpq_set_si(net->w[1], 0, 1);

    mpq_set_si(net->a[1 * 2 + 0], 1, 2);  /* neuron 1 -> output 2: missing */
    XT_CHECK_INT(xt_network_conforms(net, inst, &err), XT_ERR_INPUT);
    XT_CHECK(strstr(err.message, "neuron 1 does not feed output 2") != NULL);
    mpq_set_si(net->a[1 * 2 + 0], 0, 1);
    XT_CHECK_INT(xt_network_conforms(net, inst, &err), XT_OK);

    XT_CHECK_INT(xt_network_resize(net, 3, 3, 2, &err), XT_OK);
    net->activation = XT_ACT_LINEAR;
    XT_CHECK_INT(xt_network_conforms(net, inst, &err), XT_ERR_INPUT);
    XT_CHECK(strstr(err.message, "3 hidden neurons") != NULL);
    xt_network_clear(net);
    xt_instance_clear(inst);
}

/* One linear neuron that may read only input 1, on points where input 2
 * matters: a fully connected network fits them exactly, the sparse one
 * cannot (f(0,0) = 0 forces a b = 0, but f(0,1) = a b = 1). */
static const char *const blocked_text[2] = {
    "xtrain-instance 1\ninputs 2\nhidden 1\nactivation linear\n"
    "target 0\ndata 3\n0 0 0\n1 0 1\n0 1 1\n",
    "xtrain-instance 2\ninputs 2\nhidden 1\nactivation linear\n"
    "target 0\narchitecture\nneuron 1 inputs 1 outputs 1\n"
    "data 3\n0 0 0\n1 0 1\n0 1 1\n",
};

/* Neuron 1 reads input 1 and feeds the output; neuron 2 feeds nothing. */
static const char one_output_text[] =
    "xtrain-instance 2\ninputs 2\nhidden 2\nactivation linear\n"
    "target 0\narchitecture\nneuron 1 inputs 1 outputs 1\n"
    "neuron 2 inputs 2 outputs\ndata 3\n0 0 0\n1 0 2\n0 1 0\n";

static void test_smt_honours_architecture(void)
{
    xt_instance_t inst;
    xt_smt_options_t opt;
    xt_smt_answer_t ans;
    xt_algebraic_t zero;
    xt_error_t err;
    char *text = NULL;
    size_t size = 0;
    FILE *stream;

    xt_instance_init(inst);
    xt_smt_options_init(opt);
    xt_algebraic_init(zero);
    for (int sparse = 0; sparse < 2; sparse++) {
        xt_smt_answer_init(ans);
        XT_CHECK_INT(xt_instance_read_string(inst, blocked_text[sparse],
                                             "blocked", &err), XT_OK);
        XT_CHECK_INT(xt_smt_decide(ans, inst, zero, 0, opt, 60, &err),
                     XT_OK);
        XT_CHECK_INT(ans->status, sparse ? XT_SMT_UNSAT : XT_SMT_SAT);
        xt_smt_answer_clear(ans);
    }

    /* The encoding defines the missing weight as 0 instead of declaring
     * a variable. */
    stream = open_memstream(&text, &size);
    XT_CHECK_INT(xt_smt_write(stream, inst, zero, 0, opt, &err), XT_OK);
    fclose(stream);
    XT_CHECK(text && strstr(text, "(define-fun w_1_2 () Real 0.0)"));
    XT_CHECK(text && strstr(text, "(declare-fun w_1_1 () Real)"));
    XT_CHECK(text && !strstr(text, "(declare-fun w_1_2 "));
    free(text);

    /* A satisfiable sparse instance: the network Z3 returns keeps 0 on
     * the missing edges. */
    xt_smt_answer_init(ans);
    XT_CHECK_INT(xt_instance_read_string(inst, sparse_text, "sparse", &err),
                 XT_OK);
    mpq_set_ui(inst->target, 0, 1);
    inst->has_target = 1;
    XT_CHECK_INT(xt_smt_decide(ans, inst, zero, 0, opt, 60, &err), XT_OK);
    XT_CHECK_INT(ans->status, XT_SMT_SAT);
    if (ans->status == XT_SMT_SAT) {
        XT_CHECK_INT(xt_algebraic_cmp_q(&ans->network->w[1], zero->lo), 0);
        XT_CHECK_INT(xt_algebraic_cmp_q(&ans->network->w[3], zero->lo), 0);
        XT_CHECK_INT(xt_algebraic_cmp_q(&ans->network->w[5], zero->lo), 0);
        XT_CHECK_INT(xt_algebraic_cmp_q(&ans->network->a[2], zero->lo), 0);
    }
    xt_smt_answer_clear(ans);

    /* One output with linear units fixes the output weights to 1 in the
     * formula; neuron 2 feeds no output, so its weight must stay 0. */
    xt_smt_answer_init(ans);
    XT_CHECK_INT(xt_instance_read_string(inst, one_output_text, "one", &err),
                 XT_OK);
    XT_CHECK_INT(xt_smt_decide(ans, inst, zero, 0, opt, 60, &err), XT_OK);
    XT_CHECK_INT(ans->status, XT_SMT_SAT);
    if (ans->status == XT_SMT_SAT) {
        XT_CHECK_INT(xt_algebraic_cmp_q(&ans->network->a[0], zero->lo) != 0,
                     1);
        XT_CHECK_INT(xt_algebraic_cmp_q(&ans->network->a[1], zero->lo), 0);
        XT_CHECK_INT(xt_algebraic_network_conforms(ans->network, inst, &err),
                     XT_OK);
    }
    xt_smt_answer_clear(ans);

    xt_algebraic_clear(zero);
    xt_smt_options_clear(opt);
    xt_instance_clear(inst);
}

static void test_other_methods_reject_architecture(void)
{
    xt_instance_t inst;
    xt_solve_result_t res;
    xt_solve_options opt;
    xt_error_t err;

    xt_instance_init(inst);
    xt_solve_result_init(res);
    xt_solve_options_init(&opt);
    XT_CHECK_INT(xt_instance_read_string(inst, blocked_text[1], "blocked",
                                         &err), XT_OK);
    opt.method = XT_METHOD_ENUM;
    XT_CHECK_INT(xt_solve(res, inst, &opt, &err), XT_ERR_INPUT);
    XT_CHECK(strstr(err.message, "only --method smt") != NULL);

    /* auto picks the SMT backend, which proves the target unreachable */
    opt.method = XT_METHOD_AUTO;
    XT_CHECK_INT(xt_solve(res, inst, &opt, &err), XT_OK);
    XT_CHECK_INT(res->status, XT_SOLVE_INFEASIBLE);
    xt_solve_result_clear(res);
    xt_instance_clear(inst);
}

int main(void)
{
    xt_test_seed();
    test_read_write_round_trip();
    test_versions_without_architecture();
    test_malformed_sections();
    test_set_architecture();
    test_network_conformance();
    test_smt_honours_architecture();
    test_other_methods_reject_architecture();
    return xt_test_finish("test_architecture");
}
