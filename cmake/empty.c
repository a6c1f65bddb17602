/* Placeholder so that a module with no sources yet still builds. */
typedef int xt_empty_translation_unit;
