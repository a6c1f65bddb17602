/* Tests for the JSON reader and writer helpers (src/core/json.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "xt_test.h"
#include "xtrain/json.h"
#include "xtrain/rat.h"

static xt_json *parse(const char *text, xt_error_t *err)
{
    return xt_json_parse(text, strlen(text), "t.json", err);
}

static void test_tree(void)
{
    const char *text =
        "{\n"
        "  \"name\": \"net\",\n"
        "  \"values\": [1, -0.5, 1e-3, \"3/4\", true, false, null],\n"
        "  \"empty\": {}, \"none\": []\n"
        "}\n";
    xt_error_t err;
    xt_json *root = parse(text, &err);
    const xt_json *values, *item;
    mpq_t q;

    XT_CHECK(root != NULL);
    if (!root) {
        XT_FAIL("parse failed: %s", err.message);
        return;
    }
    mpq_init(q);
    XT_CHECK_INT(root->type, XT_JSON_OBJECT);
    XT_CHECK_INT(root->count, 4);
    XT_CHECK_STR(xt_json_get(root, "name")->text, "net");
    XT_CHECK_INT(xt_json_get(root, "name")->line, 2);
    XT_CHECK(xt_json_get(root, "missing") == NULL);
    XT_CHECK(xt_json_get(NULL, "name") == NULL);
    values = xt_json_get(root, "values");
    XT_CHECK_INT(values->type, XT_JSON_ARRAY);
    XT_CHECK_INT(values->count, 7);
    XT_CHECK_INT(values->line, 3);
    if (values->count == 7) {
        item = values->items[2];
        XT_CHECK_INT(item->type, XT_JSON_NUMBER);
        XT_CHECK_STR(item->text, "1e-3");
        XT_CHECK_INT(xt_json_to_rat(q, item), 0);
        XT_CHECK_RAT(q, "1/1000");
        XT_CHECK_INT(xt_json_to_rat(q, values->items[1]), 0);
        XT_CHECK_RAT(q, "-1/2");
        XT_CHECK_INT(xt_json_to_rat(q, values->items[3]), 0);
        XT_CHECK_RAT(q, "3/4");
        XT_CHECK_INT(xt_json_to_rat(q, values->items[4]), -1);
        XT_CHECK_INT(values->items[4]->type, XT_JSON_TRUE);
        XT_CHECK_INT(values->items[5]->type, XT_JSON_FALSE);
        XT_CHECK_INT(values->items[6]->type, XT_JSON_NULL);
    }
    XT_CHECK_INT(xt_json_get(root, "empty")->type, XT_JSON_OBJECT);
    XT_CHECK_INT(xt_json_get(root, "empty")->count, 0);
    XT_CHECK_INT(xt_json_get(root, "none")->count, 0);
    XT_CHECK_INT(xt_json_get(root, "none")->line, 4);
    xt_json_free(root);
    mpq_clear(q);
}

static void test_strings(void)
{
    static const struct {
        const char *json;
        const char *value;
    } cases[] = {
        {"\"plain\"", "plain"},
        {"\"a\\\"b\\\\c\\/d\"", "a\"b\\c/d"},
        {"\"\\b\\f\\n\\r\\t\"", "\b\f\n\r\t"},
        {"\"\\u0041\\u00e9\"", "A\xc3\xa9"},
        {"\"\\u20AC\"", "\xe2\x82\xac"},
        {"\"\\ud83d\\ude00\"", "\xf0\x9f\x98\x80"},
        {"\"caf\xc3\xa9\"", "caf\xc3\xa9"},
        {"\"\"", ""},
    };
    xt_error_t err;

    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        xt_json *value = parse(cases[i].json, &err);
        if (!value) {
            XT_FAIL("%s rejected: %s", cases[i].json, err.message);
            continue;
        }
        XT_CHECK_INT(value->type, XT_JSON_STRING);
        XT_CHECK_STR(value->text, cases[i].value);
        xt_json_free(value);
    }
}

typedef struct {
    const char *json;
    const char *message;   /* expected message (the whole of it) */
} error_case;

static const error_case error_cases[] = {
    {"", "t.json:1: unexpected end of input; expected a JSON value"},
    {"  \n ", "t.json:2: unexpected end of input; expected a JSON value"},
    {"{\n\"a\": [1, 2", "t.json:2: unexpected end of input; expected ',' "
                        "or ']'"},
    {"{\"a\": 1", "t.json:1: unexpected end of input; expected ',' or '}'"},
    {"{\"a\" 1}", "t.json:1: unexpected \"1\"; expected ':' after a member "
                  "name"},
    {"{\"a\": 1,}", "t.json:1: unexpected \"}\"; expected a member name in "
                    "quotes"},
    {"[1, 2,]", "t.json:1: unexpected character \"]\"; expected a JSON "
                "value"},
    {"[1 2]", "t.json:1: unexpected character \"2\"; expected ',' or ']'"},
    {"{\"a\": 1, \"a\": 2}", "t.json:1: duplicate member name \"a\""},
    {"\n\n\"bad \\q escape\"", "t.json:3: invalid escape: \"q\" after a "
                                "backslash in a string"},
    {"\"\\u12\"", "t.json:1: invalid \\u escape: expected four hex digits"},
    {"\"\\ud800\"", "t.json:1: invalid \\u escape: unpaired high "
                    "surrogate"},
    {"\"\\udc00\"", "t.json:1: invalid \\u escape: unpaired low surrogate"},
    {"\"\\u0000\"", "t.json:1: \\u0000 is not supported in strings"},
    {"\"tab\there\"", "t.json:1: control character 0x09 in string; write "
                      "it as an escape such as \\n"},
    {"\"open", "t.json:1: unterminated string"},
    {"\"open\\", "t.json:1: unterminated string"},
    {"01", "t.json:1: invalid number \"01\""},
    {"-", "t.json:1: invalid number \"-\""},
    {"[-x]", "t.json:1: invalid number \"-\""},
    {"[1.2.3]", "t.json:1: unexpected character \".\"; expected ',' or ']'"},
    {"1.", "t.json:1: invalid number \"1.\""},
    {"1.e5", "t.json:1: invalid number \"1.e5\""},
    {"1e+", "t.json:1: invalid number \"1e+\""},
    {".5", "t.json:1: unexpected character \".\"; expected a JSON value"},
    {"+1", "t.json:1: unexpected character \"+\"; expected a JSON value"},
    {"tru", "t.json:1: unexpected character \"t\"; expected a JSON value"},
    {"NaN", "t.json:1: unexpected character \"N\"; expected a JSON value"},
    {"{} {}", "t.json:1: unexpected text \"{\" after the JSON value"},
    {"[1]\n\nx", "t.json:3: unexpected text \"x\" after the JSON value"},
    {"{1: 2}", "t.json:1: unexpected \"1\"; expected a member name in "
               "quotes"},
};

static void test_errors(void)
{
    xt_error_t err;

    for (size_t i = 0; i < sizeof error_cases / sizeof error_cases[0];
         i++) {
        xt_json *value = parse(error_cases[i].json, &err);
        if (value) {
            XT_FAIL("\"%s\" was accepted", error_cases[i].json);
            xt_json_free(value);
            continue;
        }
        XT_CHECK_STR(err.message, error_cases[i].message);
    }

    /* NUL bytes inside and outside strings. */
    XT_CHECK(xt_json_parse("\"a\0b\"", 5, "t.json", &err) == NULL);
    XT_CHECK_STR(err.message, "t.json:1: control character 0x00 in string; "
                 "write it as an escape such as \\n");
    XT_CHECK(xt_json_parse("[1,\0]", 5, "t.json", &err) == NULL);
    XT_CHECK_STR(err.message, "t.json:1: unexpected character \"\\x00\"; "
                 "expected a JSON value");
}

/* Builds n nested arrays "[[[...]]]". */
static char *nested(int n)
{
    char *text = malloc(2 * (size_t)n + 1);
    memset(text, '[', (size_t)n);
    memset(text + n, ']', (size_t)n);
    text[2 * n] = '\0';
    return text;
}

static void test_depth(void)
{
    char *ok = nested(XT_JSON_MAX_DEPTH);
    char *deep = nested(XT_JSON_MAX_DEPTH + 1);
    char *huge = nested(100000);
    xt_error_t err;
    xt_json *value = parse(ok, &err);

    XT_CHECK(value != NULL);
    xt_json_free(value);
    XT_CHECK(parse(deep, &err) == NULL);
    XT_CHECK_STR(err.message, "t.json:1: JSON nested deeper than 64 "
                 "levels");
    XT_CHECK(parse(huge, &err) == NULL);
    XT_CHECK_STR(err.message, "t.json:1: JSON nested deeper than 64 "
                 "levels");
    free(ok);
    free(deep);
    free(huge);
}

static char *read_back(FILE *stream)
{
    long size = ftell(stream);
    char *text = malloc((size_t)size + 1);
    size_t len;

    rewind(stream);
    len = fread(text, 1, (size_t)size, stream);
    text[len] = '\0';
    fclose(stream);
    return text;
}

static void test_write_string(void)
{
    const char *original = "quote \" backslash \\ newline \n tab \t "
                           "bell \a del \x7f caf\xc3\xa9";
    FILE *stream = tmpfile();
    xt_error_t err;
    xt_json *value;
    char *text;

    xt_json_write_string(stream, original);
    text = read_back(stream);
    XT_CHECK_STR(text, "\"quote \\\" backslash \\\\ newline \\n tab \\t "
                 "bell \\u0007 del \\u007f caf\xc3\xa9\"");
    value = parse(text, &err);
    XT_CHECK(value != NULL);
    if (value)
        XT_CHECK_STR(value->text, original);
    xt_json_free(value);
    free(text);

    mpq_t q;
    mpq_init(q);
    xt_rat_parse(q, "-6/8");
    stream = tmpfile();
    xt_json_write_rat(stream, q);
    text = read_back(stream);
    XT_CHECK_STR(text, "\"-3/4\"");
    free(text);
    mpq_clear(q);
}

static void test_read_file(void)
{
    xt_error_t err;
    xt_json *value = xt_json_read_file(XT_TEST_DATA "/no-such.json", &err);

    XT_CHECK(value == NULL);
    XT_CHECK(strstr(err.message, "no-such.json: cannot open file") != NULL);
}

/* Random byte edits of a valid document must give a tree or a one-line
 * message; run under the sanitizers to catch reads out of bounds. */
static void test_mutations(void)
{
    const char *base = "{\"inputs\": 2, \"hidden\": [{\"w\": [\"1\", "
                       "-0.5e1], \"b\": \"\\u00e9\\n\"}], \"ok\": [true, "
                       "false, null]}";
    static const char bytes[] = "{}[]\",:\\u0123456789eE+-.tfn \n\0";
    size_t len = strlen(base);
    uint64_t state = xt_test_seed() + 3;
    long rounds = xt_test_scale(5000);
    xt_error_t err;

    for (long r = 0; r < rounds; r++) {
        size_t use = len;
        char *text = malloc(len);
        memcpy(text, base, len);
        int edits = 1 + (int)(xt_test_rand(&state) % 3);
        for (int e = 0; e < edits; e++)
            text[xt_test_rand(&state) % len] =
                bytes[xt_test_rand(&state) % (sizeof bytes - 1)];
        if (xt_test_rand(&state) % 3 == 0)
            use = xt_test_rand(&state) % len;
        xt_json *value = xt_json_parse(text, use, "m", &err);
        if (!value && (strncmp(err.message, "m:", 2) != 0 ||
                       strchr(err.message, '\n')))
            XT_FAIL("bad message \"%s\"", err.message);
        xt_json_free(value);
        free(text);
    }
}

int main(void)
{
    xt_test_seed();
    test_tree();
    test_strings();
    test_errors();
    test_depth();
    test_write_string();
    test_read_file();
    test_mutations();
    return xt_test_finish("test_json");
}
