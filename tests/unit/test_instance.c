/* Tests for the instance text reader and writer and the CSV import. */
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "xt_test.h"
#include "xtrain/instance.h"
#include "xtrain/rat.h"

static const char xor_text[] =
    "xtrain-instance 1\n"
    "inputs 2\n"
    "outputs 1          # optional, default 1\n"
    "hidden 2           # optional\n"
    "activation relu\n"
    "loss l2\n"
    "target 0\n"
    "output-bias no\n"
    "convex no\n"
    "data 4\n"
    "0 0 0\n"
    "1 0 1\n"
    "0 1 1\n"
    "1 1 0\n";

static void check_xor(const xt_instance_t inst)
{
    static const char *const x[] = {"0", "0", "1", "0", "0", "1", "1", "1"};
    static const char *const y[] = {"0", "1", "1", "0"};

    XT_CHECK_INT(inst->d, 2);
    XT_CHECK_INT(inst->m, 1);
    XT_CHECK_INT(inst->n, 4);
    XT_CHECK_INT(inst->hidden, 2);
    XT_CHECK_INT(inst->activation, XT_ACT_RELU);
    XT_CHECK_INT(inst->loss, XT_LOSS_L2);
    XT_CHECK_INT(inst->output_bias, 0);
    XT_CHECK_INT(inst->convex, 0);
    for (int i = 0; i < 8 && inst->n == 4; i++)
        XT_CHECK_RAT(inst->x[i], x[i]);
    for (int i = 0; i < 4 && inst->n == 4; i++)
        XT_CHECK_RAT(inst->y[i], y[i]);
}

static void test_read_xor(void)
{
    xt_instance_t inst;
    xt_error_t err;

    xt_instance_init(inst);
    XT_CHECK_INT(xt_instance_read_string(inst, xor_text, "xor", &err),
                 XT_OK);
    check_xor(inst);
    XT_CHECK_INT(inst->has_target, 1);
    XT_CHECK_RAT(inst->target, "0");
    XT_CHECK_INT(inst->has_loss, 1);
    XT_CHECK_INT(inst->has_activation, 1);
    XT_CHECK_INT(inst->has_output_bias, 1);
    XT_CHECK_INT(inst->has_convex, 1);

    /* The bundled example is the same instance without a target. */
    XT_CHECK_INT(xt_instance_read_file(inst, XT_SOURCE_DIR
                                       "/instances/data/xor.txt", &err),
                 XT_OK);
    check_xor(inst);
    XT_CHECK_INT(inst->has_target, 0);
    xt_instance_clear(inst);
}

static void test_defaults_and_settings(void)
{
    xt_instance_t inst;
    xt_error_t err;

    xt_instance_init(inst);
    XT_CHECK_INT(xt_instance_read_string(inst,
        "xtrain-instance 1\ninputs 1\ndata 1\n1/2 -3e-1\n", "t", &err),
        XT_OK);
    XT_CHECK_INT(inst->m, 1);
    XT_CHECK_INT(inst->hidden, 0);
    XT_CHECK_INT(inst->activation, XT_ACT_RELU);
    XT_CHECK_INT(inst->loss, XT_LOSS_L2);
    XT_CHECK_INT(inst->has_target, 0);
    XT_CHECK_INT(inst->has_loss, 0);
    XT_CHECK_INT(inst->has_activation, 0);
    XT_CHECK_RAT(inst->x[0], "1/2");
    XT_CHECK_RAT(inst->y[0], "-3/10");

    /* Keywords in any order, comments and blank lines, tabs, CRLF. */
    XT_CHECK_INT(xt_instance_read_string(inst,
        "# leading comment\r\n\r\nxtrain-instance 1 # header\r\n"
        "data 2\n" /* rejected: inputs must come first */, "t", &err),
        XT_ERR_INPUT);
    XT_CHECK_INT(xt_instance_read_string(inst,
        "# leading comment\r\n\r\nxtrain-instance 1 # header\r\n"
        "convex yes\r\nloss zero-one\toutput-bias yes\n", "t", &err),
        XT_ERR_INPUT);
    XT_CHECK_INT(xt_instance_read_string(inst,
        "# leading comment\r\n\r\nxtrain-instance 1 # header\r\n"
        "convex yes\r\n\tloss   linf\noutput-bias yes\n"
        "activation threshold\ntarget 5/2\noutputs 2\ninputs 1\n"
        "data 1\n\n  7 \t 8 9  # a row\n\n# done\n", "t", &err), XT_OK);
    XT_CHECK_INT(inst->convex, 1);
    XT_CHECK_INT(inst->loss, XT_LOSS_LINF);
    XT_CHECK_INT(inst->output_bias, 1);
    XT_CHECK_INT(inst->activation, XT_ACT_THRESHOLD);
    XT_CHECK_RAT(inst->target, "5/2");
    XT_CHECK_INT(inst->m, 2);
    XT_CHECK_RAT(inst->y[1], "9");

    /* An empty data set is allowed. */
    XT_CHECK_INT(xt_instance_read_string(inst,
        "xtrain-instance 1\ninputs 3\nactivation linear\ndata 0\n", "t",
        &err), XT_OK);
    XT_CHECK_INT(inst->n, 0);
    XT_CHECK_INT(inst->d, 3);
    XT_CHECK_INT(inst->activation, XT_ACT_LINEAR);
    xt_instance_clear(inst);
}

static void test_failure_keeps_instance(void)
{
    xt_instance_t inst;
    xt_error_t err;

    xt_instance_init(inst);
    XT_CHECK_INT(xt_instance_read_string(inst, xor_text, "xor", &err),
                 XT_OK);
    XT_CHECK_INT(xt_instance_read_string(inst,
        "xtrain-instance 1\ninputs 1\ndata 1\nx 1\n", "bad.txt", &err),
        XT_ERR_INPUT);
    XT_CHECK_STR(err.message, "bad.txt:4: invalid number \"x\"");
    check_xor(inst);
    xt_instance_clear(inst);
}

/* Reads the one-line expected message of a bad file. */
static int read_expected(char *out, size_t size, const char *path)
{
    FILE *stream = fopen(path, "rb");
    size_t len;

    if (!stream)
        return -1;
    len = fread(out, 1, size - 1, stream);
    fclose(stream);
    out[len] = '\0';
    out[strcspn(out, "\n")] = '\0';
    return 0;
}

static void check_bad_file(const char *dir, const char *file)
{
    char path[1024], expected_path[1024], expected[512];
    xt_instance_t inst;
    xt_error_t err;
    int status;

    snprintf(path, sizeof path, "%s/%s", dir, file);
    snprintf(expected_path, sizeof expected_path, "%s/%.*s.expected", dir,
             (int)(strlen(file) - 4), file);
    if (read_expected(expected, sizeof expected, expected_path) != 0) {
        XT_FAIL("missing %s", expected_path);
        return;
    }
    xt_instance_init(inst);
    xt_error_clear(&err);
    status = xt_instance_read_file(inst, path, &err);
    if (status != XT_ERR_INPUT)
        XT_FAIL("%s: status %d, expected XT_ERR_INPUT", file, status);
    if (!strstr(err.message, expected))
        XT_FAIL("%s: message \"%s\" lacks \"%s\"", file, err.message,
                expected);
    if (strncmp(err.message, path, strlen(path)) != 0)
        XT_FAIL("%s: message \"%s\" does not start with the path", file,
                err.message);
    if (strchr(err.message, '\n'))
        XT_FAIL("%s: message has more than one line", file);
    xt_instance_clear(inst);
}

static void test_bad_corpus(void)
{
    const char *dir = XT_TEST_DATA "/bad";
    DIR *handle = opendir(dir);
    struct dirent *entry;
    int files = 0;

    if (!handle) {
        XT_FAIL("cannot open %s", dir);
        return;
    }
    while ((entry = readdir(handle))) {
        size_t len = strlen(entry->d_name);
        if (len < 5 || strcmp(entry->d_name + len - 4, ".txt") != 0)
            continue;
        check_bad_file(dir, entry->d_name);
        files++;
    }
    closedir(handle);
    if (files < 15)
        XT_FAIL("only %d bad files in %s", files, dir);
}

static void test_limits(void)
{
    size_t digits = XT_MAX_NUMBER_CHARS + 1;
    const char *head = "xtrain-instance 1\ninputs 1\ndata 1\n";
    size_t head_len = strlen(head);
    char *text = malloc(head_len + digits + 4);
    xt_instance_t inst;
    xt_error_t err;

    xt_instance_init(inst);
    memcpy(text, head, head_len);
    memset(text + head_len, '7', digits);
    strcpy(text + head_len + digits, " 1\n");
    XT_CHECK_INT(xt_instance_read_string(inst, text, "long", &err),
                 XT_ERR_INPUT);
    XT_CHECK_STR(err.message, "long:4: number too long (100001 characters,"
                 " at most 100000)");

    /* One digit fewer is at the limit and accepted. */
    text[head_len] = ' ';
    XT_CHECK_INT(xt_instance_read_string(inst, text, "long", &err), XT_OK);
    free(text);
    text = xt_rat_to_string(inst->x[0]);
    XT_CHECK_INT(strlen(text), 100000);
    free(text);

    /* A missing file is an I/O error naming the file. */
    XT_CHECK_INT(xt_instance_read_file(inst, XT_TEST_DATA "/no-such-file",
                                       &err), XT_ERR_IO);
    XT_CHECK(strstr(err.message, "no-such-file: cannot open file") != NULL);
    xt_instance_clear(inst);
}

/* A row of the maximum width with long numbers is fine. */
static void test_wide_rows(void)
{
    size_t size = 64 + (size_t)(XT_MAX_DIM + 1) * 32;
    char *text = malloc(size);
    size_t len;
    xt_instance_t inst;
    xt_error_t err;

    len = (size_t)sprintf(text, "xtrain-instance 1\ninputs %d\ndata 1\n",
                          XT_MAX_DIM);
    for (int t = 0; t <= XT_MAX_DIM; t++)
        len += (size_t)sprintf(text + len, "%d/1152921504606846976 ", t);
    xt_instance_init(inst);
    XT_CHECK_INT(xt_instance_read_string(inst, text, "wide", &err), XT_OK);
    XT_CHECK_INT(inst->d, XT_MAX_DIM);
    if (inst->d == XT_MAX_DIM)
        XT_CHECK_RAT(inst->x[XT_MAX_DIM - 1],
                     "4095/1152921504606846976");
    xt_instance_clear(inst);
    free(text);
}

static void random_value(mpq_t q, uint64_t *state)
{
    mpz_set_si(mpq_numref(q), (long)(xt_test_rand(state) % 2001) - 1000);
    mpz_set_ui(mpq_denref(q), 1 + xt_test_rand(state) % 97);
    if (xt_test_rand(state) % 5 == 0)
        mpz_mul_2exp(mpq_numref(q), mpq_numref(q), 200);
    mpq_canonicalize(q);
}

static void random_instance(xt_instance_t inst, uint64_t *state)
{
    long n = (long)(xt_test_rand(state) % 8);
    int d = 1 + (int)(xt_test_rand(state) % 4);
    int m = 1 + (int)(xt_test_rand(state) % 3);

    xt_instance_resize(inst, n, d, m, NULL);
    for (long i = 0; i < n * d; i++)
        random_value(inst->x[i], state);
    for (long i = 0; i < n * m; i++)
        random_value(inst->y[i], state);
    inst->hidden = (int)(xt_test_rand(state) % 4);
    inst->activation = (xt_activation)(xt_test_rand(state) % 3);
    inst->loss = (xt_loss)(xt_test_rand(state) % 4);
    inst->has_loss = (int)(xt_test_rand(state) % 2);
    inst->has_activation = (int)(xt_test_rand(state) % 2);
    inst->has_target = (int)(xt_test_rand(state) % 2);
    random_value(inst->target, state);
    mpq_abs(inst->target, inst->target);
    inst->output_bias = (int)(xt_test_rand(state) % 2);
    inst->has_output_bias = inst->output_bias ||
                            (int)(xt_test_rand(state) % 2);
    inst->convex = (int)(xt_test_rand(state) % 2);
    inst->has_convex = inst->convex || (int)(xt_test_rand(state) % 2);
}

static int same_instance(const xt_instance_t a, const xt_instance_t b)
{
    if (a->n != b->n || a->d != b->d || a->m != b->m ||
        a->hidden != b->hidden || a->activation != b->activation ||
        a->loss != b->loss || a->has_target != b->has_target ||
        a->output_bias != b->output_bias || a->convex != b->convex)
        return 0;
    if (a->has_target && !mpq_equal(a->target, b->target))
        return 0;
    for (long i = 0; i < a->n * a->d; i++)
        if (!mpq_equal(a->x[i], b->x[i]))
            return 0;
    for (long i = 0; i < a->n * a->m; i++)
        if (!mpq_equal(a->y[i], b->y[i]))
            return 0;
    return 1;
}

/* Writes inst to a temporary file and returns its contents. */
static char *write_to_string(const xt_instance_t inst, size_t *len)
{
    FILE *stream = tmpfile();
    long size;
    char *text;

    xt_instance_write(stream, inst);
    size = ftell(stream);
    rewind(stream);
    text = malloc((size_t)size + 1);
    *len = fread(text, 1, (size_t)size, stream);
    text[*len] = '\0';
    fclose(stream);
    return text;
}

static void test_write_round_trip(void)
{
    uint64_t state = xt_test_seed();
    long rounds = xt_test_scale(300);
    xt_instance_t a, b;
    xt_error_t err;

    xt_instance_init(a);
    xt_instance_init(b);
    for (long r = 0; r < rounds; r++) {
        size_t len;
        random_instance(a, &state);
        char *text = write_to_string(a, &len);
        if (xt_instance_read_text(b, text, len, "round", &err) != XT_OK)
            XT_FAIL("written instance rejected: %s", err.message);
        else if (!same_instance(a, b))
            XT_FAIL("round trip %ld changed the instance", r);
        free(text);
    }
    xt_instance_clear(a);
    xt_instance_clear(b);
}

/* Random byte edits of a valid file: every outcome must be a clean
 * success or a one-line message naming the file (run under the
 * sanitizers to catch reads out of bounds). */
static void test_mutations(void)
{
    uint64_t state = xt_test_seed() + 7;
    long rounds = xt_test_scale(3000);
    size_t len = strlen(xor_text);
    static const char bytes[] = "0123456789 \n#/.-+e\0\x80xd";
    char *text = malloc(len + 8);
    xt_instance_t inst;
    xt_error_t err;

    xt_instance_init(inst);
    for (long r = 0; r < rounds; r++) {
        size_t use = len;
        memcpy(text, xor_text, len);
        int edits = 1 + (int)(xt_test_rand(&state) % 4);
        for (int e = 0; e < edits; e++)
            text[xt_test_rand(&state) % len] =
                bytes[xt_test_rand(&state) % (sizeof bytes - 1)];
        if (xt_test_rand(&state) % 4 == 0)
            use = xt_test_rand(&state) % len;
        /* The text is not NUL-terminated after use bytes. */
        char *copy = malloc(use ? use : 1);
        memcpy(copy, text, use);
        int status = xt_instance_read_text(inst, copy, use, "m", &err);
        if (status != XT_OK && (strncmp(err.message, "m:", 2) != 0 ||
                                strchr(err.message, '\n')))
            XT_FAIL("bad message \"%s\"", err.message);
        if (status != XT_OK && status != XT_ERR_INPUT)
            XT_FAIL("status %d", status);
        free(copy);
    }
    xt_instance_clear(inst);
    free(text);
}

static void test_names(void)
{
    xt_activation activation;
    xt_loss loss;

    for (int i = 0; i < 3; i++) {
        XT_CHECK_INT(xt_activation_parse(&activation,
                     xt_activation_name((xt_activation)i)), 0);
        XT_CHECK_INT(activation, i);
    }
    for (int i = 0; i < 4; i++) {
        XT_CHECK_INT(xt_loss_parse(&loss, xt_loss_name((xt_loss)i)), 0);
        XT_CHECK_INT(loss, i);
    }
    XT_CHECK_STR(xt_loss_name(XT_LOSS_ZERO_ONE), "zero-one");
    XT_CHECK_INT(xt_loss_parse(&loss, "L2"), -1);
    XT_CHECK_INT(xt_activation_parse(&activation, "sigmoid"), -1);
}

static void test_csv(void)
{
    xt_instance_t inst;
    xt_error_t err;

    xt_instance_init(inst);
    XT_CHECK_INT(xt_instance_read_file(inst, XT_TEST_DATA
                                       "/csv/xor-header.csv", &err), XT_OK);
    XT_CHECK_INT(inst->n, 4);
    XT_CHECK_INT(inst->d, 2);
    XT_CHECK_INT(inst->m, 1);
    if (inst->n == 4) {
        XT_CHECK_RAT(inst->x[2], "1");
        XT_CHECK_RAT(inst->y[1], "1");
        XT_CHECK_RAT(inst->y[3], "0");
    }

    XT_CHECK_INT(xt_instance_read_csv(inst, XT_TEST_DATA
                                      "/csv/no-header.csv", 1, &err), XT_OK);
    XT_CHECK_INT(inst->n, 2);
    if (inst->n == 2) {
        XT_CHECK_RAT(inst->x[2], "1/2");
        XT_CHECK_RAT(inst->x[3], "3/2");
        XT_CHECK_RAT(inst->y[1], "-1/5");
    }

    XT_CHECK_INT(xt_instance_read_csv(inst, XT_TEST_DATA
                                      "/csv/two-labels.csv", 2, &err), XT_OK);
    XT_CHECK_INT(inst->d, 2);
    XT_CHECK_INT(inst->m, 2);
    if (inst->n == 2)
        XT_CHECK_RAT(inst->y[3], "8");

    XT_CHECK_INT(xt_instance_read_csv(inst, XT_TEST_DATA "/csv/ragged.csv",
                                      1, &err), XT_ERR_INPUT);
    XT_CHECK(strstr(err.message, "ragged.csv:3: expected 3 fields (as on "
                    "line 1), found 2") != NULL);
    XT_CHECK_INT(xt_instance_read_csv(inst, XT_TEST_DATA
                                      "/csv/bad-number.csv", 1, &err),
                 XT_ERR_INPUT);
    XT_CHECK(strstr(err.message, "bad-number.csv:2: invalid number \"x\"")
             != NULL);
    XT_CHECK_INT(xt_instance_read_csv(inst, XT_TEST_DATA
                                      "/csv/one-column.csv", 1, &err),
                 XT_ERR_INPUT);
    XT_CHECK(strstr(err.message, "one-column.csv:1: the first row has 1 "
                    "columns") != NULL);
    XT_CHECK_INT(xt_instance_read_csv(inst, XT_TEST_DATA
                                      "/csv/unterminated.csv", 1, &err),
                 XT_ERR_INPUT);
    XT_CHECK(strstr(err.message, "unterminated.csv:1: unterminated quoted "
                    "field in column 2") != NULL);
    XT_CHECK_INT(xt_instance_read_csv(inst, XT_TEST_DATA
                                      "/csv/no-header.csv", 0, &err),
                 XT_ERR_INPUT);
    /* A first row with a bad number is a data row, not a header. */
    XT_CHECK_INT(xt_instance_read_csv(inst, XT_TEST_DATA
                                      "/csv/bad-first-row.csv", 1, &err),
                 XT_ERR_INPUT);
    XT_CHECK(strstr(err.message, "bad-first-row.csv:1: invalid number") !=
             NULL);
    xt_instance_clear(inst);
}

int main(void)
{
    xt_test_seed();
    test_read_xor();
    test_defaults_and_settings();
    test_failure_keeps_instance();
    test_bad_corpus();
    test_limits();
    test_wide_rows();
    test_write_round_trip();
    test_mutations();
    test_names();
    test_csv();
    return xt_test_finish("test_instance");
}
