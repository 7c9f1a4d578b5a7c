// The module throws while it is imported: every claim of this engine is an error naming the module.
throw new Error('adapter failed to initialise its backend')
