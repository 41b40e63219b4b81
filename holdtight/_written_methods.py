"""The methods of `holdtight.written`'s classes, compiled with the package rather
than at each start: written by `python -m holdtight.written`, do not edit."""

# mypy: ignore-errors
# fmt: off

LAYOUT = (('ScaleSetting', (('id', ''), ('label', ''), ('description', 'default'))), ('Thresholds', (('lean_loose', ''), ('balanced', ''), ('lean_tight', ''), ('tight', ''))), ('Scale', (('settings', ''), ('thresholds', ''), ('borderline', 'default'))), ('Survey', (('respondents', ''), ('systems', ''), ('more_centralized', ''), ('midway', ''), ('more_decentralized', ''), ('source', ''))), ('Posture', (('band', 'default'), ('labels', 'factory'), ('survey', 'default'))), ('Source', (('id', ''), ('title', ''), ('author', 'default'), ('url', 'default'), ('note', 'default'))), ('RulebookMeta', (('id', ''), ('version', ''), ('title', ''), ('scale', ''), ('description', 'default'), ('sources', 'factory'), ('posture', 'factory'), ('reflection', 'factory'))), ('Section', (('id', ''), ('title', ''), ('intro', 'default'))), ('Option', (('id', ''), ('label', ''), ('help', 'default'))), ('QuestionDef', (('id', ''), ('section', ''), ('kind', ''), ('prompt', ''), ('short_label', 'default'), ('help', 'default'), ('options', 'factory'), ('min', 'default'), ('max', 'default'), ('integer', 'default'), ('unit', 'default'), ('labels', 'factory'), ('required', 'default'), ('show_if', 'default'), ('nature', 'default'))), ('DomainDef', (('id', ''), ('title', ''), ('description', 'default'), ('tight_means', 'default'), ('loose_means', 'default'), ('bias', 'default'), ('short', 'default'))), ('RuleDef', (('id', ''), ('when', ''), ('because', ''), ('effects', 'factory'), ('at_least', 'factory'), ('at_most', 'factory'))), ('GuardRailDef', (('id', ''), ('domain', ''), ('settings', ''), ('text', ''), ('when', 'default'))), ('ExampleDef', (('id', ''), ('answers', ''), ('description', 'default'), ('expect', 'factory'), ('expect_posture', 'default'), ('expect_scenarios', 'factory'))), ('ScenarioStep', (('question', ''), ('map', ''))), ('ScenarioDef', (('id', ''), ('title', ''), ('description', 'default'), ('criteria', 'factory'), ('answers', 'factory'), ('kind', 'default'), ('step', 'default'))))

def methods(__dataclass_builtins_object__, _HAS_DEFAULT_FACTORY, FrozenInstanceError, _type_0_id, _type_0_label, _type_0_description, _dflt_0_description, _cls_0, _type_1_lean_loose, _type_1_balanced, _type_1_lean_tight, _type_1_tight, _cls_1, _type_2_settings, _type_2_thresholds, _type_2_borderline, _dflt_2_borderline, _cls_2, _type_3_respondents, _type_3_systems, _type_3_more_centralized, _type_3_midway, _type_3_more_decentralized, _type_3_source, _cls_3, _type_4_band, _dflt_4_band, _type_4_labels, _dflt_4_labels, _type_4_survey, _dflt_4_survey, _cls_4, _type_5_id, _type_5_title, _type_5_author, _dflt_5_author, _type_5_url, _dflt_5_url, _type_5_note, _dflt_5_note, _cls_5, _type_6_id, _type_6_version, _type_6_title, _type_6_scale, _type_6_description, _dflt_6_description, _type_6_sources, _dflt_6_sources, _type_6_posture, _dflt_6_posture, _type_6_reflection, _dflt_6_reflection, _cls_6, _type_7_id, _type_7_title, _type_7_intro, _dflt_7_intro, _cls_7, _type_8_id, _type_8_label, _type_8_help, _dflt_8_help, _cls_8, _type_9_id, _type_9_section, _type_9_kind, _type_9_prompt, _type_9_short_label, _dflt_9_short_label, _type_9_help, _dflt_9_help, _type_9_options, _dflt_9_options, _type_9_min, _dflt_9_min, _type_9_max, _dflt_9_max, _type_9_integer, _dflt_9_integer, _type_9_unit, _dflt_9_unit, _type_9_labels, _dflt_9_labels, _type_9_required, _dflt_9_required, _type_9_show_if, _dflt_9_show_if, _type_9_nature, _dflt_9_nature, _cls_9, _type_10_id, _type_10_title, _type_10_description, _dflt_10_description, _type_10_tight_means, _dflt_10_tight_means, _type_10_loose_means, _dflt_10_loose_means, _type_10_bias, _dflt_10_bias, _type_10_short, _dflt_10_short, _cls_10, _type_11_id, _type_11_when, _type_11_because, _type_11_effects, _dflt_11_effects, _type_11_at_least, _dflt_11_at_least, _type_11_at_most, _dflt_11_at_most, _cls_11, _type_12_id, _type_12_domain, _type_12_settings, _type_12_text, _type_12_when, _dflt_12_when, _cls_12, _type_13_id, _type_13_answers, _type_13_description, _dflt_13_description, _type_13_expect, _dflt_13_expect, _type_13_expect_posture, _dflt_13_expect_posture, _type_13_expect_scenarios, _dflt_13_expect_scenarios, _cls_13, _type_14_question, _type_14_map, _cls_14, _type_15_id, _type_15_title, _type_15_description, _dflt_15_description, _type_15_criteria, _dflt_15_criteria, _type_15_answers, _dflt_15_answers, _type_15_kind, _dflt_15_kind, _type_15_step, _dflt_15_step, _cls_15):
 def _init_0(self,id:_type_0_id,label:_type_0_label,description:_type_0_description=_dflt_0_description)->None:
   __dataclass_builtins_object__.__setattr__(self,'id',id)
   __dataclass_builtins_object__.__setattr__(self,'label',label)
   __dataclass_builtins_object__.__setattr__(self,'description',description)
 def _setattr_0(self,name,value):
   if type(self) is _cls_0 or name in {'id', 'label', 'description'}:
    raise FrozenInstanceError(f"cannot assign to field {name!r}")
   super(_cls_0, self).__setattr__(name, value)
 def _delattr_0(self,name):
   if type(self) is _cls_0 or name in {'id', 'label', 'description'}:
    raise FrozenInstanceError(f"cannot delete field {name!r}")
   super(_cls_0, self).__delattr__(name)
 def _init_1(self,lean_loose:_type_1_lean_loose,balanced:_type_1_balanced,lean_tight:_type_1_lean_tight,tight:_type_1_tight)->None:
   __dataclass_builtins_object__.__setattr__(self,'lean_loose',lean_loose)
   __dataclass_builtins_object__.__setattr__(self,'balanced',balanced)
   __dataclass_builtins_object__.__setattr__(self,'lean_tight',lean_tight)
   __dataclass_builtins_object__.__setattr__(self,'tight',tight)
 def _setattr_1(self,name,value):
   if type(self) is _cls_1 or name in {'lean_loose', 'balanced', 'lean_tight', 'tight'}:
    raise FrozenInstanceError(f"cannot assign to field {name!r}")
   super(_cls_1, self).__setattr__(name, value)
 def _delattr_1(self,name):
   if type(self) is _cls_1 or name in {'lean_loose', 'balanced', 'lean_tight', 'tight'}:
    raise FrozenInstanceError(f"cannot delete field {name!r}")
   super(_cls_1, self).__delattr__(name)
 def _init_2(self,settings:_type_2_settings,thresholds:_type_2_thresholds,borderline:_type_2_borderline=_dflt_2_borderline)->None:
   __dataclass_builtins_object__.__setattr__(self,'settings',settings)
   __dataclass_builtins_object__.__setattr__(self,'thresholds',thresholds)
   __dataclass_builtins_object__.__setattr__(self,'borderline',borderline)
 def _setattr_2(self,name,value):
   if type(self) is _cls_2 or name in {'settings', 'thresholds', 'borderline'}:
    raise FrozenInstanceError(f"cannot assign to field {name!r}")
   super(_cls_2, self).__setattr__(name, value)
 def _delattr_2(self,name):
   if type(self) is _cls_2 or name in {'settings', 'thresholds', 'borderline'}:
    raise FrozenInstanceError(f"cannot delete field {name!r}")
   super(_cls_2, self).__delattr__(name)
 def _init_3(self,respondents:_type_3_respondents,systems:_type_3_systems,more_centralized:_type_3_more_centralized,midway:_type_3_midway,more_decentralized:_type_3_more_decentralized,source:_type_3_source)->None:
   __dataclass_builtins_object__.__setattr__(self,'respondents',respondents)
   __dataclass_builtins_object__.__setattr__(self,'systems',systems)
   __dataclass_builtins_object__.__setattr__(self,'more_centralized',more_centralized)
   __dataclass_builtins_object__.__setattr__(self,'midway',midway)
   __dataclass_builtins_object__.__setattr__(self,'more_decentralized',more_decentralized)
   __dataclass_builtins_object__.__setattr__(self,'source',source)
 def _setattr_3(self,name,value):
   if type(self) is _cls_3 or name in {'respondents', 'systems', 'more_centralized', 'midway', 'more_decentralized', 'source'}:
    raise FrozenInstanceError(f"cannot assign to field {name!r}")
   super(_cls_3, self).__setattr__(name, value)
 def _delattr_3(self,name):
   if type(self) is _cls_3 or name in {'respondents', 'systems', 'more_centralized', 'midway', 'more_decentralized', 'source'}:
    raise FrozenInstanceError(f"cannot delete field {name!r}")
   super(_cls_3, self).__delattr__(name)
 def _init_4(self,band:_type_4_band=_dflt_4_band,labels:_type_4_labels=_HAS_DEFAULT_FACTORY,survey:_type_4_survey=_dflt_4_survey)->None:
   __dataclass_builtins_object__.__setattr__(self,'band',band)
   __dataclass_builtins_object__.__setattr__(self,'labels',_dflt_4_labels() if labels is _HAS_DEFAULT_FACTORY else labels)
   __dataclass_builtins_object__.__setattr__(self,'survey',survey)
 def _setattr_4(self,name,value):
   if type(self) is _cls_4 or name in {'band', 'labels', 'survey'}:
    raise FrozenInstanceError(f"cannot assign to field {name!r}")
   super(_cls_4, self).__setattr__(name, value)
 def _delattr_4(self,name):
   if type(self) is _cls_4 or name in {'band', 'labels', 'survey'}:
    raise FrozenInstanceError(f"cannot delete field {name!r}")
   super(_cls_4, self).__delattr__(name)
 def _init_5(self,id:_type_5_id,title:_type_5_title,author:_type_5_author=_dflt_5_author,url:_type_5_url=_dflt_5_url,note:_type_5_note=_dflt_5_note)->None:
   __dataclass_builtins_object__.__setattr__(self,'id',id)
   __dataclass_builtins_object__.__setattr__(self,'title',title)
   __dataclass_builtins_object__.__setattr__(self,'author',author)
   __dataclass_builtins_object__.__setattr__(self,'url',url)
   __dataclass_builtins_object__.__setattr__(self,'note',note)
 def _setattr_5(self,name,value):
   if type(self) is _cls_5 or name in {'id', 'title', 'author', 'url', 'note'}:
    raise FrozenInstanceError(f"cannot assign to field {name!r}")
   super(_cls_5, self).__setattr__(name, value)
 def _delattr_5(self,name):
   if type(self) is _cls_5 or name in {'id', 'title', 'author', 'url', 'note'}:
    raise FrozenInstanceError(f"cannot delete field {name!r}")
   super(_cls_5, self).__delattr__(name)
 def _init_6(self,id:_type_6_id,version:_type_6_version,title:_type_6_title,scale:_type_6_scale,description:_type_6_description=_dflt_6_description,sources:_type_6_sources=_HAS_DEFAULT_FACTORY,posture:_type_6_posture=_HAS_DEFAULT_FACTORY,reflection:_type_6_reflection=_HAS_DEFAULT_FACTORY)->None:
   __dataclass_builtins_object__.__setattr__(self,'id',id)
   __dataclass_builtins_object__.__setattr__(self,'version',version)
   __dataclass_builtins_object__.__setattr__(self,'title',title)
   __dataclass_builtins_object__.__setattr__(self,'scale',scale)
   __dataclass_builtins_object__.__setattr__(self,'description',description)
   __dataclass_builtins_object__.__setattr__(self,'sources',_dflt_6_sources() if sources is _HAS_DEFAULT_FACTORY else sources)
   __dataclass_builtins_object__.__setattr__(self,'posture',_dflt_6_posture() if posture is _HAS_DEFAULT_FACTORY else posture)
   __dataclass_builtins_object__.__setattr__(self,'reflection',_dflt_6_reflection() if reflection is _HAS_DEFAULT_FACTORY else reflection)
 def _setattr_6(self,name,value):
   if type(self) is _cls_6 or name in {'id', 'version', 'title', 'scale', 'description', 'sources', 'posture', 'reflection'}:
    raise FrozenInstanceError(f"cannot assign to field {name!r}")
   super(_cls_6, self).__setattr__(name, value)
 def _delattr_6(self,name):
   if type(self) is _cls_6 or name in {'id', 'version', 'title', 'scale', 'description', 'sources', 'posture', 'reflection'}:
    raise FrozenInstanceError(f"cannot delete field {name!r}")
   super(_cls_6, self).__delattr__(name)
 def _init_7(self,id:_type_7_id,title:_type_7_title,intro:_type_7_intro=_dflt_7_intro)->None:
   __dataclass_builtins_object__.__setattr__(self,'id',id)
   __dataclass_builtins_object__.__setattr__(self,'title',title)
   __dataclass_builtins_object__.__setattr__(self,'intro',intro)
 def _setattr_7(self,name,value):
   if type(self) is _cls_7 or name in {'id', 'title', 'intro'}:
    raise FrozenInstanceError(f"cannot assign to field {name!r}")
   super(_cls_7, self).__setattr__(name, value)
 def _delattr_7(self,name):
   if type(self) is _cls_7 or name in {'id', 'title', 'intro'}:
    raise FrozenInstanceError(f"cannot delete field {name!r}")
   super(_cls_7, self).__delattr__(name)
 def _init_8(self,id:_type_8_id,label:_type_8_label,help:_type_8_help=_dflt_8_help)->None:
   __dataclass_builtins_object__.__setattr__(self,'id',id)
   __dataclass_builtins_object__.__setattr__(self,'label',label)
   __dataclass_builtins_object__.__setattr__(self,'help',help)
 def _setattr_8(self,name,value):
   if type(self) is _cls_8 or name in {'id', 'label', 'help'}:
    raise FrozenInstanceError(f"cannot assign to field {name!r}")
   super(_cls_8, self).__setattr__(name, value)
 def _delattr_8(self,name):
   if type(self) is _cls_8 or name in {'id', 'label', 'help'}:
    raise FrozenInstanceError(f"cannot delete field {name!r}")
   super(_cls_8, self).__delattr__(name)
 def _init_9(self,id:_type_9_id,section:_type_9_section,kind:_type_9_kind,prompt:_type_9_prompt,short_label:_type_9_short_label=_dflt_9_short_label,help:_type_9_help=_dflt_9_help,options:_type_9_options=_HAS_DEFAULT_FACTORY,min:_type_9_min=_dflt_9_min,max:_type_9_max=_dflt_9_max,integer:_type_9_integer=_dflt_9_integer,unit:_type_9_unit=_dflt_9_unit,labels:_type_9_labels=_HAS_DEFAULT_FACTORY,required:_type_9_required=_dflt_9_required,show_if:_type_9_show_if=_dflt_9_show_if,nature:_type_9_nature=_dflt_9_nature)->None:
   __dataclass_builtins_object__.__setattr__(self,'id',id)
   __dataclass_builtins_object__.__setattr__(self,'section',section)
   __dataclass_builtins_object__.__setattr__(self,'kind',kind)
   __dataclass_builtins_object__.__setattr__(self,'prompt',prompt)
   __dataclass_builtins_object__.__setattr__(self,'short_label',short_label)
   __dataclass_builtins_object__.__setattr__(self,'help',help)
   __dataclass_builtins_object__.__setattr__(self,'options',_dflt_9_options() if options is _HAS_DEFAULT_FACTORY else options)
   __dataclass_builtins_object__.__setattr__(self,'min',min)
   __dataclass_builtins_object__.__setattr__(self,'max',max)
   __dataclass_builtins_object__.__setattr__(self,'integer',integer)
   __dataclass_builtins_object__.__setattr__(self,'unit',unit)
   __dataclass_builtins_object__.__setattr__(self,'labels',_dflt_9_labels() if labels is _HAS_DEFAULT_FACTORY else labels)
   __dataclass_builtins_object__.__setattr__(self,'required',required)
   __dataclass_builtins_object__.__setattr__(self,'show_if',show_if)
   __dataclass_builtins_object__.__setattr__(self,'nature',nature)
 def _setattr_9(self,name,value):
   if type(self) is _cls_9 or name in {'id', 'section', 'kind', 'prompt', 'short_label', 'help', 'options', 'min', 'max', 'integer', 'unit', 'labels', 'required', 'show_if', 'nature'}:
    raise FrozenInstanceError(f"cannot assign to field {name!r}")
   super(_cls_9, self).__setattr__(name, value)
 def _delattr_9(self,name):
   if type(self) is _cls_9 or name in {'id', 'section', 'kind', 'prompt', 'short_label', 'help', 'options', 'min', 'max', 'integer', 'unit', 'labels', 'required', 'show_if', 'nature'}:
    raise FrozenInstanceError(f"cannot delete field {name!r}")
   super(_cls_9, self).__delattr__(name)
 def _init_10(self,id:_type_10_id,title:_type_10_title,description:_type_10_description=_dflt_10_description,tight_means:_type_10_tight_means=_dflt_10_tight_means,loose_means:_type_10_loose_means=_dflt_10_loose_means,bias:_type_10_bias=_dflt_10_bias,short:_type_10_short=_dflt_10_short)->None:
   __dataclass_builtins_object__.__setattr__(self,'id',id)
   __dataclass_builtins_object__.__setattr__(self,'title',title)
   __dataclass_builtins_object__.__setattr__(self,'description',description)
   __dataclass_builtins_object__.__setattr__(self,'tight_means',tight_means)
   __dataclass_builtins_object__.__setattr__(self,'loose_means',loose_means)
   __dataclass_builtins_object__.__setattr__(self,'bias',bias)
   __dataclass_builtins_object__.__setattr__(self,'short',short)
 def _setattr_10(self,name,value):
   if type(self) is _cls_10 or name in {'id', 'title', 'description', 'tight_means', 'loose_means', 'bias', 'short'}:
    raise FrozenInstanceError(f"cannot assign to field {name!r}")
   super(_cls_10, self).__setattr__(name, value)
 def _delattr_10(self,name):
   if type(self) is _cls_10 or name in {'id', 'title', 'description', 'tight_means', 'loose_means', 'bias', 'short'}:
    raise FrozenInstanceError(f"cannot delete field {name!r}")
   super(_cls_10, self).__delattr__(name)
 def _init_11(self,id:_type_11_id,when:_type_11_when,because:_type_11_because,effects:_type_11_effects=_HAS_DEFAULT_FACTORY,at_least:_type_11_at_least=_HAS_DEFAULT_FACTORY,at_most:_type_11_at_most=_HAS_DEFAULT_FACTORY)->None:
   __dataclass_builtins_object__.__setattr__(self,'id',id)
   __dataclass_builtins_object__.__setattr__(self,'when',when)
   __dataclass_builtins_object__.__setattr__(self,'because',because)
   __dataclass_builtins_object__.__setattr__(self,'effects',_dflt_11_effects() if effects is _HAS_DEFAULT_FACTORY else effects)
   __dataclass_builtins_object__.__setattr__(self,'at_least',_dflt_11_at_least() if at_least is _HAS_DEFAULT_FACTORY else at_least)
   __dataclass_builtins_object__.__setattr__(self,'at_most',_dflt_11_at_most() if at_most is _HAS_DEFAULT_FACTORY else at_most)
 def _setattr_11(self,name,value):
   if type(self) is _cls_11 or name in {'id', 'when', 'because', 'effects', 'at_least', 'at_most'}:
    raise FrozenInstanceError(f"cannot assign to field {name!r}")
   super(_cls_11, self).__setattr__(name, value)
 def _delattr_11(self,name):
   if type(self) is _cls_11 or name in {'id', 'when', 'because', 'effects', 'at_least', 'at_most'}:
    raise FrozenInstanceError(f"cannot delete field {name!r}")
   super(_cls_11, self).__delattr__(name)
 def _init_12(self,id:_type_12_id,domain:_type_12_domain,settings:_type_12_settings,text:_type_12_text,when:_type_12_when=_dflt_12_when)->None:
   __dataclass_builtins_object__.__setattr__(self,'id',id)
   __dataclass_builtins_object__.__setattr__(self,'domain',domain)
   __dataclass_builtins_object__.__setattr__(self,'settings',settings)
   __dataclass_builtins_object__.__setattr__(self,'text',text)
   __dataclass_builtins_object__.__setattr__(self,'when',when)
 def _setattr_12(self,name,value):
   if type(self) is _cls_12 or name in {'id', 'domain', 'settings', 'text', 'when'}:
    raise FrozenInstanceError(f"cannot assign to field {name!r}")
   super(_cls_12, self).__setattr__(name, value)
 def _delattr_12(self,name):
   if type(self) is _cls_12 or name in {'id', 'domain', 'settings', 'text', 'when'}:
    raise FrozenInstanceError(f"cannot delete field {name!r}")
   super(_cls_12, self).__delattr__(name)
 def _init_13(self,id:_type_13_id,answers:_type_13_answers,description:_type_13_description=_dflt_13_description,expect:_type_13_expect=_HAS_DEFAULT_FACTORY,expect_posture:_type_13_expect_posture=_dflt_13_expect_posture,expect_scenarios:_type_13_expect_scenarios=_HAS_DEFAULT_FACTORY)->None:
   __dataclass_builtins_object__.__setattr__(self,'id',id)
   __dataclass_builtins_object__.__setattr__(self,'answers',answers)
   __dataclass_builtins_object__.__setattr__(self,'description',description)
   __dataclass_builtins_object__.__setattr__(self,'expect',_dflt_13_expect() if expect is _HAS_DEFAULT_FACTORY else expect)
   __dataclass_builtins_object__.__setattr__(self,'expect_posture',expect_posture)
   __dataclass_builtins_object__.__setattr__(self,'expect_scenarios',_dflt_13_expect_scenarios() if expect_scenarios is _HAS_DEFAULT_FACTORY else expect_scenarios)
 def _setattr_13(self,name,value):
   if type(self) is _cls_13 or name in {'id', 'answers', 'description', 'expect', 'expect_posture', 'expect_scenarios'}:
    raise FrozenInstanceError(f"cannot assign to field {name!r}")
   super(_cls_13, self).__setattr__(name, value)
 def _delattr_13(self,name):
   if type(self) is _cls_13 or name in {'id', 'answers', 'description', 'expect', 'expect_posture', 'expect_scenarios'}:
    raise FrozenInstanceError(f"cannot delete field {name!r}")
   super(_cls_13, self).__delattr__(name)
 def _init_14(self,question:_type_14_question,map:_type_14_map)->None:
   __dataclass_builtins_object__.__setattr__(self,'question',question)
   __dataclass_builtins_object__.__setattr__(self,'map',map)
 def _setattr_14(self,name,value):
   if type(self) is _cls_14 or name in {'question', 'map'}:
    raise FrozenInstanceError(f"cannot assign to field {name!r}")
   super(_cls_14, self).__setattr__(name, value)
 def _delattr_14(self,name):
   if type(self) is _cls_14 or name in {'question', 'map'}:
    raise FrozenInstanceError(f"cannot delete field {name!r}")
   super(_cls_14, self).__delattr__(name)
 def _init_15(self,id:_type_15_id,title:_type_15_title,description:_type_15_description=_dflt_15_description,criteria:_type_15_criteria=_HAS_DEFAULT_FACTORY,answers:_type_15_answers=_HAS_DEFAULT_FACTORY,kind:_type_15_kind=_dflt_15_kind,step:_type_15_step=_dflt_15_step)->None:
   __dataclass_builtins_object__.__setattr__(self,'id',id)
   __dataclass_builtins_object__.__setattr__(self,'title',title)
   __dataclass_builtins_object__.__setattr__(self,'description',description)
   __dataclass_builtins_object__.__setattr__(self,'criteria',_dflt_15_criteria() if criteria is _HAS_DEFAULT_FACTORY else criteria)
   __dataclass_builtins_object__.__setattr__(self,'answers',_dflt_15_answers() if answers is _HAS_DEFAULT_FACTORY else answers)
   __dataclass_builtins_object__.__setattr__(self,'kind',kind)
   __dataclass_builtins_object__.__setattr__(self,'step',step)
 def _setattr_15(self,name,value):
   if type(self) is _cls_15 or name in {'id', 'title', 'description', 'criteria', 'answers', 'kind', 'step'}:
    raise FrozenInstanceError(f"cannot assign to field {name!r}")
   super(_cls_15, self).__setattr__(name, value)
 def _delattr_15(self,name):
   if type(self) is _cls_15 or name in {'id', 'title', 'description', 'criteria', 'answers', 'kind', 'step'}:
    raise FrozenInstanceError(f"cannot delete field {name!r}")
   super(_cls_15, self).__delattr__(name)
 return (_init_0, _setattr_0, _delattr_0, _init_1, _setattr_1, _delattr_1, _init_2, _setattr_2, _delattr_2, _init_3, _setattr_3, _delattr_3, _init_4, _setattr_4, _delattr_4, _init_5, _setattr_5, _delattr_5, _init_6, _setattr_6, _delattr_6, _init_7, _setattr_7, _delattr_7, _init_8, _setattr_8, _delattr_8, _init_9, _setattr_9, _delattr_9, _init_10, _setattr_10, _delattr_10, _init_11, _setattr_11, _delattr_11, _init_12, _setattr_12, _delattr_12, _init_13, _setattr_13, _delattr_13, _init_14, _setattr_14, _delattr_14, _init_15, _setattr_15, _delattr_15,)
