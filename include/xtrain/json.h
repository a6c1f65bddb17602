/* A small JSON reader and writer for networks, results and certificates.
 *
 * The reader builds a tree; numbers are kept as their source text so that
 * nothing is rounded (exact values are written as strings anyway).  The
 * writer helpers escape strings and keep output on one line. */
#ifndef XTRAIN_JSON_H
#define XTRAIN_JSON_H

#include <stddef.h>
#include <stdio.h>
#include <gmp.h>
#include "xtrain/error.h"

typedef enum {
    XT_JSON_NULL, XT_JSON_FALSE, XT_JSON_TRUE, XT_JSON_NUMBER,
    XT_JSON_STRING, XT_JSON_ARRAY, XT_JSON_OBJECT
} xt_json_type;

typedef struct xt_json xt_json;
struct xt_json {
    xt_json_type type;
    char *text;          /* string value, or a number's source text */
    char *key;           /* member name when inside an object */
    xt_json **items;     /* array elements or object members */
    size_t count;
    long line;           /* line of the value in the source */
};

/* Maximum nesting depth accepted by the reader. */
#define XT_JSON_MAX_DEPTH 64

/* Parses text (len bytes) into a tree.  Returns NULL and fills err with
 * "NAME:LINE: ..." on malformed input. */
xt_json *xt_json_parse(const char *text, size_t len, const char *name,
                       xt_error_t *err);

/* Reads and parses the file at path ("-" is standard input).  Returns
 * NULL with a message when the file cannot be read or is malformed. */
xt_json *xt_json_read_file(const char *path, xt_error_t *err);

/* Frees a tree from xt_json_parse.  NULL is allowed. */
void xt_json_free(xt_json *value);

/* Returns the member called key of an object, or NULL (also when object
 * is NULL or not an object).  Member names are unique: the reader rejects
 * duplicates. */
const xt_json *xt_json_get(const xt_json *object, const char *key);

/* Parses a number or a string value exactly with xt_rat_parse.  Returns
 * 0 on success, -1 otherwise (out is then 0). */
int xt_json_to_rat(mpq_t out, const xt_json *value);

/* Writes s as a JSON string literal with quotes. */
void xt_json_write_string(FILE *stream, const char *s);

/* Writes q as a JSON string holding its canonical text, e.g. "-3/4". */
void xt_json_write_rat(FILE *stream, const mpq_t q);

#endif
