/**
 * Internal: conversion between Java records and the generic field values of signatures. Not API;
 * not exported from the module.
 */
@NullMarked
package dev.dspy4j.internal.records;

import org.jspecify.annotations.NullMarked;
