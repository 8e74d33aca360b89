/**
 * The LSP providers of dcplan (code actions, hover, completion, formatter, …), wired as one
 * Langium module so that each provider lives in its own file of `lsp/`.
 */
import type { Module } from 'langium';
import type { PartialLangiumServices } from 'langium/lsp';
import type { DcplanServices } from '../dcplan-module.js';

/** Overrides of Langium's LSP services; each entry names the file that implements it. */
export const DcplanLspModule: Module<DcplanServices, PartialLangiumServices> = {
    lsp: {
    }
};
