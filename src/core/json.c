/* A small JSON reader (RFC 8259) that builds a tree, and writer helpers.
 *
 * Numbers keep their source text, so that callers can parse them exactly
 * with xt_rat_parse.  Strings are decoded to UTF-8; "\u0000" is rejected
 * because the tree stores C strings.  Nesting is limited to
 * XT_JSON_MAX_DEPTH, which also bounds the recursion. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include "xtrain/json.h"
#include "xtrain/rat.h"
#include "text.h"

typedef struct {
    const char *text;
    size_t len;
    size_t pos;
    long line;
    const char *name;
    xt_error_t *err;
} parser;

static int fail(parser *p, const char *format, ...)
    __attribute__((format(printf, 2, 3)));

static int fail(parser *p, const char *format, ...)
{
    char message[XT_ERROR_MAX];
    va_list args;

    va_start(args, format);
    vsnprintf(message, sizeof message, format, args);
    va_end(args);
    xt_error_at(p->err, p->name, p->line, "%s", message);
    return -1;
}

static int out_of_memory(parser *p)
{
    return fail(p, "out of memory while reading JSON");
}

/* Describes the byte at the current position for messages. */
static const char *describe_here(parser *p, char buf[XT_QUOTE_MAX])
{
    if (p->pos >= p->len)
        return "the end of the input";
    return xt_error_quote(buf, p->text + p->pos, 1);
}

static void skip_space(parser *p)
{
    while (p->pos < p->len) {
        char ch = p->text[p->pos];
        if (ch == '\n')
            p->line++;
        else if (ch != ' ' && ch != '\t' && ch != '\r')
            return;
        p->pos++;
    }
}

static xt_json *new_value(parser *p, xt_json_type type)
{
    xt_json *value = calloc(1, sizeof *value);
    if (!value) {
        out_of_memory(p);
        return NULL;
    }
    value->type = type;
    value->line = p->line;
    return value;
}

static int append_item(parser *p, xt_json *parent, xt_json *item,
                       size_t *capacity)
{
    if (parent->count == *capacity) {
        size_t bigger = *capacity ? *capacity * 2 : 4;
        xt_json **items = realloc(parent->items, bigger * sizeof *items);
        if (!items)
            return out_of_memory(p);
        parent->items = items;
        *capacity = bigger;
    }
    parent->items[parent->count++] = item;
    return 0;
}

static int hex_value(char ch)
{
    if (ch >= '0' && ch <= '9')
        return ch - '0';
    if (ch >= 'a' && ch <= 'f')
        return ch - 'a' + 10;
    if (ch >= 'A' && ch <= 'F')
        return ch - 'A' + 10;
    return -1;
}

/* Reads the four hex digits of a \u escape at p->pos. */
static long read_hex4(parser *p)
{
    long code = 0;

    if (p->len - p->pos < 4)
        return -1;
    for (int i = 0; i < 4; i++) {
        int digit = hex_value(p->text[p->pos + (size_t)i]);
        if (digit < 0)
            return -1;
        code = code * 16 + digit;
    }
    p->pos += 4;
    return code;
}

static size_t put_utf8(char *out, long code)
{
    if (code < 0x80) {
        out[0] = (char)code;
        return 1;
    }
    if (code < 0x800) {
        out[0] = (char)(0xc0 | (code >> 6));
        out[1] = (char)(0x80 | (code & 0x3f));
        return 2;
    }
    if (code < 0x10000) {
        out[0] = (char)(0xe0 | (code >> 12));
        out[1] = (char)(0x80 | ((code >> 6) & 0x3f));
        out[2] = (char)(0x80 | (code & 0x3f));
        return 3;
    }
    out[0] = (char)(0xf0 | (code >> 18));
    out[1] = (char)(0x80 | ((code >> 12) & 0x3f));
    out[2] = (char)(0x80 | ((code >> 6) & 0x3f));
    out[3] = (char)(0x80 | (code & 0x3f));
    return 4;
}

/* Decodes a \u escape (p->pos is just past the 'u'), joining surrogate
 * pairs, and stores its UTF-8 bytes at out.  Returns the byte count, or
 * -1 with a message. */
static int read_unicode_escape(parser *p, char *out)
{
    long code = read_hex4(p), low;

    if (code < 0)
        return fail(p, "invalid \\u escape: expected four hex digits");
    if (code == 0)
        return fail(p, "\\u0000 is not supported in strings");
    if (code >= 0xdc00 && code <= 0xdfff)
        return fail(p, "invalid \\u escape: unpaired low surrogate");
    if (code >= 0xd800 && code <= 0xdbff) {
        if (p->len - p->pos < 2 || p->text[p->pos] != '\\' ||
            p->text[p->pos + 1] != 'u')
            return fail(p, "invalid \\u escape: unpaired high surrogate");
        p->pos += 2;
        low = read_hex4(p);
        if (low < 0xdc00 || low > 0xdfff)
            return fail(p, "invalid \\u escape: unpaired high surrogate");
        code = 0x10000 + ((code - 0xd800) << 10) + (low - 0xdc00);
    }
    return (int)put_utf8(out, code);
}

/* Decodes the escape after a backslash (p->pos is on the character after
 * it) into out.  Returns the byte count, or -1 with a message. */
static int read_escape(parser *p, char *out)
{
    static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
    char buf[XT_QUOTE_MAX];
    char ch = p->text[p->pos];
    const char *found = ch ? strchr(from, ch) : NULL;

    if (found) {
        p->pos++;
        out[0] = to[found - from];
        return 1;
    }
    if (ch == 'u') {
        p->pos++;
        return read_unicode_escape(p, out);
    }
    return fail(p, "invalid escape: %s after a backslash in a string",
                xt_error_quote(buf, p->text + p->pos, 1));
}

/* Finds the length of the string source that starts at p->pos (after the
 * opening quote), up to the closing quote.  Returns -1 when unterminated
 * or when a raw control character occurs. */
static int measure_string(parser *p, size_t *span)
{
    size_t i = p->pos;

    while (i < p->len && p->text[i] != '"') {
        unsigned char ch = (unsigned char)p->text[i];
        if (ch < 0x20) {
            p->pos = i;
            return fail(p, "control character 0x%02x in string; write it "
                        "as an escape such as \\n", ch);
        }
        i += ch == '\\' ? 2 : 1;
    }
    if (i >= p->len) {
        p->pos = p->len;
        return fail(p, "unterminated string");
    }
    *span = i - p->pos;
    return 0;
}

/* Reads a string starting at the opening quote into a malloc'd C string.
 * Decoded text is never longer than its source, since every escape is at
 * least as long as the bytes it stands for. */
static char *read_string(parser *p)
{
    size_t span = 0, end, used = 0;
    char *out;

    p->pos++;
    if (measure_string(p, &span) != 0)
        return NULL;
    end = p->pos + span;
    out = malloc(span + 1);
    if (!out) {
        out_of_memory(p);
        return NULL;
    }
    while (p->pos < end) {
        if (p->text[p->pos] == '\\') {
            int added;
            p->pos++;
            added = read_escape(p, out + used);
            if (added < 0) {
                free(out);
                return NULL;
            }
            used += (size_t)added;
        } else {
            out[used++] = p->text[p->pos++];
        }
    }
    p->pos++;
    out[used] = '\0';
    return out;
}

static size_t skip_digits(const parser *p, size_t i)
{
    while (i < p->len && p->text[i] >= '0' && p->text[i] <= '9')
        i++;
    return i;
}

/* Reads a number with the JSON grammar
 * -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)? and keeps its text. */
static xt_json *read_number(parser *p)
{
    size_t start = p->pos, i = p->pos, digits;
    xt_json *value;

    if (p->text[i] == '-')
        i++;
    digits = skip_digits(p, i) - i;
    if (digits == 0 || (digits > 1 && p->text[i] == '0'))
        goto invalid;
    i += digits;
    if (i < p->len && p->text[i] == '.') {
        size_t after = skip_digits(p, i + 1);
        if (after == i + 1)
            goto invalid;
        i = after;
    }
    if (i < p->len && (p->text[i] == 'e' || p->text[i] == 'E')) {
        size_t after;
        i++;
        if (i < p->len && (p->text[i] == '+' || p->text[i] == '-'))
            i++;
        after = skip_digits(p, i);
        if (after == i)
            goto invalid;
        i = after;
    }

    value = new_value(p, XT_JSON_NUMBER);
    if (!value)
        return NULL;
    value->text = malloc(i - start + 1);
    if (!value->text) {
        free(value);
        out_of_memory(p);
        return NULL;
    }
    memcpy(value->text, p->text + start, i - start);
    value->text[i - start] = '\0';
    p->pos = i;
    return value;

invalid: {
        /* Quote the whole run of characters that can occur in numbers. */
        char buf[XT_QUOTE_MAX];
        size_t end = start + 1;
        while (end < p->len && p->text[end] &&
               strchr("0123456789+-.eE", p->text[end]))
            end++;
        fail(p, "invalid number %s",
             xt_error_quote(buf, p->text + start, end - start));
        return NULL;
    }
}

static xt_json *read_literal(parser *p)
{
    static const char *const words[] = {"null", "false", "true"};
    static const xt_json_type types[] = {XT_JSON_NULL, XT_JSON_FALSE,
                                         XT_JSON_TRUE};
    char buf[XT_QUOTE_MAX];

    for (int k = 0; k < 3; k++) {
        size_t len = strlen(words[k]);
        if (p->len - p->pos >= len &&
            memcmp(p->text + p->pos, words[k], len) == 0) {
            xt_json *value = new_value(p, types[k]);
            if (value)
                p->pos += len;
            return value;
        }
    }
    fail(p, "unexpected character %s; expected a JSON value",
         describe_here(p, buf));
    return NULL;
}

static xt_json *read_value(parser *p, int depth);

/* Reads the separator after an item: returns 1 after ',', 0 at the
 * closing bracket, -1 on anything else. */
static int read_separator(parser *p, char close)
{
    char buf[XT_QUOTE_MAX];

    skip_space(p);
    if (p->pos < p->len && p->text[p->pos] == ',') {
        p->pos++;
        return 1;
    }
    if (p->pos < p->len && p->text[p->pos] == close) {
        p->pos++;
        return 0;
    }
    if (p->pos >= p->len)
        return fail(p, "unexpected end of input; expected ',' or '%c'",
                    close);
    return fail(p, "unexpected character %s; expected ',' or '%c'",
                describe_here(p, buf), close);
}

static int has_key(const xt_json *object, const char *key)
{
    for (size_t i = 0; i < object->count; i++)
        if (strcmp(object->items[i]->key, key) == 0)
            return 1;
    return 0;
}

/* Reads "key": value into a new member of object. */
static int read_member(parser *p, xt_json *object, int depth,
                       size_t *capacity)
{
    char buf[XT_QUOTE_MAX];
    char *key;
    xt_json *member;

    skip_space(p);
    if (p->pos >= p->len || p->text[p->pos] != '"')
        return fail(p, "unexpected %s; expected a member name in quotes",
                    describe_here(p, buf));
    key = read_string(p);
    if (!key)
        return -1;
    if (has_key(object, key)) {
        fail(p, "duplicate member name %s",
             xt_error_quote(buf, key, strlen(key)));
        free(key);
        return -1;
    }
    skip_space(p);
    if (p->pos >= p->len || p->text[p->pos] != ':') {
        free(key);
        return fail(p, "unexpected %s; expected ':' after a member name",
                    describe_here(p, buf));
    }
    p->pos++;
    member = read_value(p, depth + 1);
    if (!member) {
        free(key);
        return -1;
    }
    member->key = key;
    if (append_item(p, object, member, capacity) != 0) {
        xt_json_free(member);
        return -1;
    }
    return 0;
}

/* Reads an array or object whose opening bracket is at p->pos. */
static xt_json *read_container(parser *p, int depth)
{
    int is_object = p->text[p->pos] == '{';
    char close = is_object ? '}' : ']';
    xt_json *value = new_value(p, is_object ? XT_JSON_OBJECT
                                            : XT_JSON_ARRAY);
    size_t capacity = 0;
    int more = 1;

    if (!value)
        return NULL;
    p->pos++;
    skip_space(p);
    if (p->pos < p->len && p->text[p->pos] == close) {
        p->pos++;
        return value;
    }
    while (more == 1) {
        if (is_object) {
            more = read_member(p, value, depth, &capacity) == 0 ? 1 : -1;
        } else {
            xt_json *item = read_value(p, depth + 1);
            more = item ? 1 : -1;
            if (item && append_item(p, value, item, &capacity) != 0) {
                xt_json_free(item);
                more = -1;
            }
        }
        if (more == 1)
            more = read_separator(p, close);
    }
    if (more < 0) {
        xt_json_free(value);
        return NULL;
    }
    return value;
}

static xt_json *read_value(parser *p, int depth)
{
    char ch;

    if (depth > XT_JSON_MAX_DEPTH) {
        fail(p, "JSON nested deeper than %d levels", XT_JSON_MAX_DEPTH);
        return NULL;
    }
    skip_space(p);
    if (p->pos >= p->len) {
        fail(p, "unexpected end of input; expected a JSON value");
        return NULL;
    }
    ch = p->text[p->pos];
    if (ch == '{' || ch == '[')
        return read_container(p, depth);
    if (ch == '"') {
        xt_json *value = new_value(p, XT_JSON_STRING);
        if (value && !(value->text = read_string(p))) {
            free(value);
            return NULL;
        }
        return value;
    }
    if (ch == '-' || (ch >= '0' && ch <= '9'))
        return read_number(p);
    return read_literal(p);
}

xt_json *xt_json_parse(const char *text, size_t len, const char *name,
                       xt_error_t *err)
{
    parser p = {text, len, 0, 1, name, err};
    xt_json *value;
    char buf[XT_QUOTE_MAX];

    if (len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0)
        p.pos = 3;
    value = read_value(&p, 1);
    if (!value)
        return NULL;
    skip_space(&p);
    if (p.pos < p.len) {
        fail(&p, "unexpected text %s after the JSON value",
             describe_here(&p, buf));
        xt_json_free(value);
        return NULL;
    }
    return value;
}

xt_json *xt_json_read_file(const char *path, xt_error_t *err)
{
    char *text;
    size_t len;
    xt_json *value;

    if (xt_text_read_file(&text, &len, path, err) != XT_OK)
        return NULL;
    value = xt_json_parse(text, len, xt_text_display_name(path), err);
    free(text);
    return value;
}

void xt_json_free(xt_json *value)
{
    if (!value)
        return;
    for (size_t i = 0; i < value->count; i++)
        xt_json_free(value->items[i]);
    free(value->items);
    free(value->text);
    free(value->key);
    free(value);
}

const xt_json *xt_json_get(const xt_json *object, const char *key)
{
    if (!object || object->type != XT_JSON_OBJECT)
        return NULL;
    for (size_t i = 0; i < object->count; i++)
        if (strcmp(object->items[i]->key, key) == 0)
            return object->items[i];
    return NULL;
}

int xt_json_to_rat(mpq_t out, const xt_json *value)
{
    if (!value ||
        (value->type != XT_JSON_NUMBER && value->type != XT_JSON_STRING)) {
        mpq_set_ui(out, 0, 1);
        return -1;
    }
    return xt_rat_parse(out, value->text);
}

void xt_json_write_string(FILE *stream, const char *s)
{
    fputc('"', stream);
    for (; *s; s++) {
        unsigned char ch = (unsigned char)*s;
        if (ch == '"' || ch == '\\')
            fprintf(stream, "\\%c", ch);
        else if (ch == '\n')
            fputs("\\n", stream);
        else if (ch == '\t')
            fputs("\\t", stream);
        else if (ch < 0x20 || ch == 0x7f)
            fprintf(stream, "\\u%04x", ch);
        else
            fputc(ch, stream);
    }
    fputc('"', stream);
}

void xt_json_write_rat(FILE *stream, const mpq_t q)
{
    fputc('"', stream);
    xt_rat_print(stream, q);
    fputc('"', stream);
}
