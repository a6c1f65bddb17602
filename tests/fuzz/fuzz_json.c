/* Fuzzes the JSON reader.  Oracle: every node of an accepted tree has a
 * consistent type, and every number or string converts to a rational or
 * is rejected without a crash. */
#include <gmp.h>
#include "fuzz_util.h"
#include "xtrain/json.h"

static void walk(const xt_json *node, mpq_t scratch, int depth)
{
    XT_FUZZ_ASSERT(depth <= XT_JSON_MAX_DEPTH + 1, "depth %d", depth);
    switch (node->type) {
    case XT_JSON_NUMBER:
    case XT_JSON_STRING:
        XT_FUZZ_ASSERT(node->text != NULL, "value without text");
        (void)xt_json_to_rat(scratch, node);
        break;
    case XT_JSON_ARRAY:
    case XT_JSON_OBJECT:
        for (size_t i = 0; i < node->count; i++) {
            const xt_json *item = node->items[i];
            XT_FUZZ_ASSERT(item != NULL, "null item %zu", i);
            if (node->type == XT_JSON_OBJECT) {
                XT_FUZZ_ASSERT(item->key != NULL, "member without key");
                XT_FUZZ_ASSERT(xt_json_get(node, item->key) == item,
                               "duplicate member \"%.40s\"", item->key);
            }
            walk(item, scratch, depth + 1);
        }
        break;
    default:
        break;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > XT_FUZZ_MAX_INPUT)
        return 0;
    xt_error_t err;
    xt_error_clear(&err);
    xt_json *root = xt_json_parse((const char *)data, size, "fuzz", &err);
    if (root) {
        mpq_t scratch;
        mpq_init(scratch);
        walk(root, scratch, 0);
        mpq_clear(scratch);
        xt_json_free(root);
    } else {
        XT_FUZZ_ASSERT(err.message[0] != '\0', "rejected without message");
    }
    return 0;
}
