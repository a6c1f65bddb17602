/* The JSON form of a network (docs/formats.md):
 *
 *   {"inputs": 2, "activation": "relu",
 *    "hidden": [{"w": ["1","-1"], "b": "0"}, ...],
 *    "output": {"a": ["1","1"], "c": "0"}}
 *
 * Every number is an exact rational, written as a string; the reader also
 * accepts bare JSON numbers and parses their text exactly. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "xtrain/network.h"
#include "xtrain/rat.h"
#include "text.h"

typedef struct {
    const char *name;
    xt_error_t *err;
} json_reader;

static int fail(json_reader *r, const xt_json *node, const char *format,
                ...) __attribute__((format(printf, 3, 4)));

/* Reports a message at the line of node and returns XT_ERR_INPUT. */
static int fail(json_reader *r, const xt_json *node, const char *format,
                ...)
{
    char message[XT_ERROR_MAX];
    va_list args;

    va_start(args, format);
    vsnprintf(message, sizeof message, format, args);
    va_end(args);
    xt_error_at(r->err, r->name, node ? node->line : 0, "%s", message);
    return XT_ERR_INPUT;
}

/* Rejects members of object whose names are not in allowed (NULL-ended),
 * so that a misspelt member is not silently ignored. */
static int check_members(json_reader *r, const xt_json *object,
                         const char *const *allowed, const char *where)
{
    char quoted[XT_QUOTE_MAX];

    for (size_t i = 0; i < object->count; i++) {
        const char *key = object->items[i]->key;
        const char *const *name = allowed;
        while (*name && strcmp(*name, key) != 0)
            name++;
        if (!*name)
            return fail(r, object->items[i], "unknown member %s in %s",
                        xt_error_quote(quoted, key, strlen(key)), where);
    }
    return XT_OK;
}

/* Fetches a required member of the given type. */
static const xt_json *require(json_reader *r, const xt_json *object,
                              const char *key, xt_json_type type,
                              const char *where)
{
    static const char *const type_names[] = {
        "null", "false", "true", "a number", "a string", "an array",
        "an object"
    };
    const xt_json *member = xt_json_get(object, key);

    if (!member)
        fail(r, object, "missing member \"%s\" in %s", key, where);
    else if (member->type != type)
        fail(r, member, "member \"%s\" in %s must be %s", key, where,
             type_names[type]);
    else
        return member;
    return NULL;
}

static int is_value(const xt_json *node)
{
    return node->type == XT_JSON_NUMBER || node->type == XT_JSON_STRING;
}

static int read_count(json_reader *r, long *out, const xt_json *node,
                      const char *key, long min, long max)
{
    xt_token token;

    if (!is_value(node))
        return fail(r, node, "member \"%s\" must be an integer", key);
    token.start = node->text;
    token.len = strlen(node->text);
    if (xt_token_to_long(out, token, min, max) == 0)
        return XT_OK;
    xt_text_range_error(r->err, r->name, node->line, key, token, min, max);
    return XT_ERR_INPUT;
}

static int read_rat(json_reader *r, mpq_t out, const xt_json *node,
                    const char *what)
{
    char quoted[XT_QUOTE_MAX];
    size_t len;

    if (!is_value(node))
        return fail(r, node, "%s must be a number or a string holding one",
                    what);
    len = strlen(node->text);
    if (len > XT_MAX_NUMBER_CHARS)
        return fail(r, node, "number too long in %s (%zu characters, at "
                    "most %d)", what, len, XT_MAX_NUMBER_CHARS);
    if (xt_rat_parse(out, node->text) != 0)
        return fail(r, node, "invalid number %s in %s",
                    xt_error_quote(quoted, node->text, len), what);
    if (!xt_text_rat_fits(out))
        return fail(r, node, "number too long in lowest terms in %s (more "
                    "than %d characters)", what, XT_MAX_NUMBER_CHARS);
    return XT_OK;
}

/* Reads the optional "activation" and "output-activation" members. */
static int read_activations(json_reader *r, xt_network_t net,
                            const xt_json *object)
{
    const xt_json *node = xt_json_get(object, "activation");
    char quoted[XT_QUOTE_MAX];

    net->activation = XT_ACT_RELU;
    net->threshold_output = 0;
    if (node && (node->type != XT_JSON_STRING ||
                 xt_activation_parse(&net->activation, node->text) != 0))
        return fail(r, node, "invalid \"activation\" (expected \"relu\", "
                    "\"threshold\" or \"linear\")");
    node = xt_json_get(object, "output-activation");
    if (!node)
        return XT_OK;
    if (node->type == XT_JSON_STRING && strcmp(node->text, "linear") == 0)
        return XT_OK;
    if (node->type == XT_JSON_STRING &&
        strcmp(node->text, "threshold") == 0) {
        net->threshold_output = 1;
        return XT_OK;
    }
    return fail(r, node, "invalid \"output-activation\" %s (expected "
                "\"linear\" or \"threshold\")",
                node->text ? xt_error_quote(quoted, node->text,
                                            strlen(node->text))
                           : "value");
}

/* Finds the number of outputs from the shape of "a": an array of numbers
 * is one output, an array of m arrays is m outputs. */
static int output_count(json_reader *r, long *m, const xt_json *a, long k,
                        const xt_json *outputs)
{
    int nested = a->count > 0 && a->items[0]->type == XT_JSON_ARRAY;

    *m = nested ? (long)a->count : 1;
    if (outputs && read_count(r, m, outputs, "outputs", 1,
                              XT_MAX_OUTPUTS) != XT_OK)
        return XT_ERR_INPUT;
    if (a->count == 0 && k > 0)
        return fail(r, a, "\"a\" is empty but there are %ld hidden "
                    "neurons", k);
    if (nested && *m != (long)a->count)
        return fail(r, a, "\"a\" has %zu rows but \"outputs\" is %ld",
                    a->count, *m);
    if (!nested && a->count > 0 && *m != 1)
        return fail(r, a, "\"a\" must be an array of %ld arrays, one per "
                    "output", *m);
    if (*m > XT_MAX_OUTPUTS)
        return fail(r, a, "too many outputs: %ld (at most %d)", *m,
                    XT_MAX_OUTPUTS);
    return XT_OK;
}

static int read_neuron(json_reader *r, xt_network_t net, long j,
                       const xt_json *neuron)
{
    static const char *const allowed[] = {"w", "b", NULL};
    char where[64];
    const xt_json *w, *b;

    snprintf(where, sizeof where, "neuron %ld", j + 1);
    if (neuron->type != XT_JSON_OBJECT)
        return fail(r, neuron, "%s must be an object {\"w\": [...], "
                    "\"b\": ...}", where);
    if (check_members(r, neuron, allowed, where) != XT_OK)
        return XT_ERR_INPUT;
    w = require(r, neuron, "w", XT_JSON_ARRAY, where);
    b = w ? xt_json_get(neuron, "b") : NULL;
    if (!w)
        return XT_ERR_INPUT;
    if (!b)
        return fail(r, neuron, "missing member \"b\" in %s", where);
    if (w->count != (size_t)net->d)
        return fail(r, w, "\"w\" of %s has %zu values but \"inputs\" is %d",
                    where, w->count, net->d);
    for (int t = 0; t < net->d; t++)
        if (read_rat(r, net->w[j * net->d + t], w->items[t],
                     "a hidden weight") != XT_OK)
            return XT_ERR_INPUT;
    return read_rat(r, net->b[j], b, "a hidden bias");
}

/* Reads the output weights of output o from row (k values). */
static int read_output_row(json_reader *r, xt_network_t net, int o,
                           const xt_json *row)
{
    if (row->type != XT_JSON_ARRAY)
        return fail(r, row, "each row of \"a\" must be an array");
    if (row->count != (size_t)net->k)
        return fail(r, row, "a row of \"a\" has %zu values but there are "
                    "%d hidden neurons", row->count, net->k);
    for (int j = 0; j < net->k; j++)
        if (read_rat(r, net->a[o * net->k + j], row->items[j],
                     "an output weight") != XT_OK)
            return XT_ERR_INPUT;
    return XT_OK;
}

static int read_output_bias(json_reader *r, xt_network_t net,
                            const xt_json *c)
{
    net->has_output_bias = c != NULL;
    if (!c)
        return XT_OK;
    if (c->type != XT_JSON_ARRAY)
        return net->m == 1 ? read_rat(r, net->c[0], c, "\"c\"")
                           : fail(r, c, "\"c\" must be an array of %d "
                                  "values, one per output", net->m);
    if (c->count != (size_t)net->m)
        return fail(r, c, "\"c\" has %zu values but there are %d outputs",
                    c->count, net->m);
    for (int o = 0; o < net->m; o++)
        if (read_rat(r, net->c[o], c->items[o], "\"c\"") != XT_OK)
            return XT_ERR_INPUT;
    return XT_OK;
}

static int read_output(json_reader *r, xt_network_t net,
                       const xt_json *output, const xt_json *a)
{
    int nested = a->count > 0 && a->items[0]->type == XT_JSON_ARRAY;

    if (nested) {
        for (int o = 0; o < net->m; o++)
            if (read_output_row(r, net, o, a->items[o]) != XT_OK)
                return XT_ERR_INPUT;
    } else if (read_output_row(r, net, 0, a) != XT_OK) {
        return XT_ERR_INPUT;
    }
    return read_output_bias(r, net, xt_json_get(output, "c"));
}

/* Reads the sizes and allocates net; returns "hidden" and "a". */
static int read_shape(json_reader *r, xt_network_t net,
                      const xt_json *object, const xt_json **hidden,
                      const xt_json **a)
{
    static const char *const allowed[] = {"a", "c", NULL};
    const xt_json *inputs = xt_json_get(object, "inputs"), *output;
    long d, m;

    if (!inputs)
        return fail(r, object, "missing member \"inputs\" in the network");
    if (read_count(r, &d, inputs, "inputs", 1, XT_MAX_DIM) != XT_OK)
        return XT_ERR_INPUT;
    *hidden = require(r, object, "hidden", XT_JSON_ARRAY, "the network");
    output = *hidden ? require(r, object, "output", XT_JSON_OBJECT,
                               "the network")
                     : NULL;
    if (!output)
        return XT_ERR_INPUT;
    if ((*hidden)->count > XT_MAX_HIDDEN)
        return fail(r, *hidden, "too many hidden neurons: %zu (at most "
                    "%d)", (*hidden)->count, XT_MAX_HIDDEN);
    if (check_members(r, output, allowed, "\"output\"") != XT_OK)
        return XT_ERR_INPUT;
    *a = require(r, output, "a", XT_JSON_ARRAY, "\"output\"");
    if (!*a || output_count(r, &m, *a, (long)(*hidden)->count,
                            xt_json_get(object, "outputs")) != XT_OK)
        return XT_ERR_INPUT;
    return xt_network_resize(net, (int)d, (int)(*hidden)->count, (int)m,
                             r->err);
}

static int read_network(json_reader *r, xt_network_t net,
                        const xt_json *object)
{
    static const char *const allowed[] = {
        "inputs", "outputs", "activation", "output-activation", "hidden",
        "output", NULL
    };
    const xt_json *hidden = NULL, *a = NULL;

    if (check_members(r, object, allowed, "the network") != XT_OK ||
        read_activations(r, net, object) != XT_OK ||
        read_shape(r, net, object, &hidden, &a) != XT_OK)
        return XT_ERR_INPUT;
    for (int j = 0; j < net->k; j++)
        if (read_neuron(r, net, j, hidden->items[j]) != XT_OK)
            return XT_ERR_INPUT;
    return read_output(r, net, xt_json_get(object, "output"), a);
}

int xt_network_from_json(xt_network_t net, const xt_json *value,
                         const char *name, xt_error_t *err)
{
    json_reader r = {name, err};
    const xt_json *inner;
    xt_network_t temp;
    int status;

    if (value->type != XT_JSON_OBJECT)
        return fail(&r, value, "expected a JSON object for the network");
    inner = xt_json_get(value, "network");
    if (!xt_json_get(value, "hidden") && inner) {
        if (inner->type != XT_JSON_OBJECT)
            return fail(&r, inner, "member \"network\" must be an object");
        value = inner;
    }

    xt_network_init(temp);
    status = read_network(&r, temp, value);
    if (status == XT_OK) {
        xt_network_struct swap = *net;
        *net = *temp;
        *temp = swap;
    }
    xt_network_clear(temp);
    return status;
}

/* Writes count values as a JSON array of strings, stride apart. */
static void write_array(FILE *stream, mpq_t *const values, int count,
                        int stride)
{
    fputc('[', stream);
    for (int i = 0; i < count; i++) {
        if (i > 0)
            fputc(',', stream);
        xt_json_write_rat(stream, values[(long)i * stride]);
    }
    fputc(']', stream);
}

static void write_output(FILE *stream, const xt_network_t net)
{
    fputs("\"output\": {\"a\": ", stream);
    if (net->m == 1) {
        write_array(stream, net->a, net->k, 1);
    } else {
        fputc('[', stream);
        for (int o = 0; o < net->m; o++) {
            if (o > 0)
                fputs(", ", stream);
            /* With no hidden neurons a is NULL, and NULL + 0 is
             * undefined. */
            mpq_t *row = net->k > 0 ? net->a + (long)o * net->k : NULL;
            write_array(stream, row, net->k, 1);
        }
        fputc(']', stream);
    }
    if (net->has_output_bias) {
        fputs(", \"c\": ", stream);
        if (net->m == 1)
            xt_json_write_rat(stream, net->c[0]);
        else
            write_array(stream, net->c, net->m, 1);
    }
    fputc('}', stream);
}

void xt_network_write_json(FILE *stream, const xt_network_t net)
{
    fprintf(stream, "{\"inputs\": %d, \"activation\": \"%s\", ", net->d,
            xt_activation_name(net->activation));
    if (net->threshold_output)
        fputs("\"output-activation\": \"threshold\", ", stream);
    fputs("\"hidden\": [", stream);
    for (int j = 0; j < net->k; j++) {
        if (j > 0)
            fputs(", ", stream);
        fputs("{\"w\": ", stream);
        write_array(stream, net->w + (long)j * net->d, net->d, 1);
        fputs(", \"b\": ", stream);
        xt_json_write_rat(stream, net->b[j]);
        fputc('}', stream);
    }
    fputs("], ", stream);
    write_output(stream, net);
    fputc('}', stream);
}
